// trygg serve: the web app (docs/app.md). Its folders default, for an installed trygg, to
// PREFIX/share/trygg beside PREFIX/bin, else to this checkout's (the build knows where it is).
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "trygg/core/error.hpp"
#ifdef TRYGG_WITH_WEB
#include "trygg/web/server.hpp"
#endif

namespace trygg::app {

#ifndef TRYGG_WITH_WEB
int serve_command(const ServeCommandOptions& /*options*/) {
  throw Error(ErrorKind::invalid_input,
              "serve: this trygg was built without the web app (TRYGG_WEB=OFF); build with "
              "-DTRYGG_WEB=ON, which needs libcpp-httplib-dev and nlohmann-json3-dev");
}
#else

namespace fs = std::filesystem;

namespace {

std::atomic<bool> serve_stop{false};

extern "C" void stop_serving(int /*signal*/) {
  serve_stop.store(true);
}

// The installed copy under PREFIX/share/trygg when this trygg is PREFIX/bin/trygg, else this
// checkout's `relative` (empty when neither is there).
std::string default_path(const std::string& relative, const std::string& installed) {
  std::error_code ignored;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ignored);
  const fs::path shared = exe.parent_path().parent_path() / "share" / "trygg" / installed;
  if (!installed.empty() && fs::exists(shared)) return shared.string();
  if (installed.empty() && fs::exists(shared / "web")) return shared.string();
  const fs::path built = fs::path(TRYGG_SOURCE_DIR) / relative;
  return fs::exists(built) ? built.string() : std::string();
}

}  // namespace

int serve_command(const ServeCommandOptions& options) {
  web::ServeOptions serve;
  serve.port = options.port;
  serve.bind = options.bind;
  serve.token = options.token;
  serve.threads = options.threads;
  serve.scenarios_folder =
      options.scenarios.empty() ? default_path("scenarios", "scenarios") : options.scenarios;
  serve.share_folder = options.share.empty() ? default_path("share", "") : options.share;
  serve.results_folder = options.results;
  serve.report_tool = options.report_tool.empty()
                          ? default_path("tools/trygg-report", "tools/trygg-report")
                          : options.report_tool;
#ifdef TRYGG_PYTHON_PACKAGE_DIR
  if (fs::exists(TRYGG_PYTHON_PACKAGE_DIR)) serve.python_folder = TRYGG_PYTHON_PACKAGE_DIR;
#endif
  if (!web::is_loopback(serve.bind) && serve.token.empty()) {
    std::cerr << "trygg serve: " << serve.bind
              << " is not this machine's loopback: every request needs the token printed below\n";
  }
  std::signal(SIGINT, stop_serving);
  std::signal(SIGTERM, stop_serving);
  web::serve(serve, serve_stop, std::cout);
  return 0;
}
#endif

}  // namespace trygg::app
