#pragma once
// `trygg serve`: the web app's HTTP server (cpp-httplib) and its JSON API (docs/app.md). It
// binds to localhost by default; anywhere else it needs a token, checked on every request; and
// on localhost too it refuses requests whose Host or Origin is not its own.
#include <atomic>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::web {

struct ServeOptions {
  int port = 8080;  // 0: any free port (the address printed says which)
  std::string bind = "127.0.0.1";
  std::string token;             // empty: none on a loopback address, generated elsewhere
  std::string scenarios_folder;  // the shipped scenarios the page starts from
  std::string results_folder;    // each job's folder, and data/ for uploaded district data
  std::string share_folder;      // web/ (the page) and text/ (the catalogues)
  std::string report_tool;       // tools/trygg-report (empty: no report)
  std::string python_folder;     // the folder of Trygg's Python package, for the report
  unsigned threads = 0;          // each job's threads (0: all)
  std::size_t max_request_bytes = std::size_t{1} << 20U;
};

// Whether an address (as given to --bind) is this machine's loopback: 127.0.0.0/8, ::1 or
// localhost.
bool is_loopback(std::string_view address);

// Who may talk to the server: the token (when there is one) and the Host values that are its
// own. Pure, so that tests can check every rule without a socket.
class Gate {
 public:
  Gate(const std::string& bind, int port, std::string token);
  struct Verdict {
    int status = 0;  // 0: let through; else the HTTP status to answer with
    std::string reason;
  };
  // `authorization` is the Authorization header, `query_token` the token= of the address,
  // `cookies` the Cookie header (the token is its token_cookie()).
  Verdict check(std::string_view host, std::string_view origin, std::string_view authorization,
                std::string_view query_token, std::string_view cookies) const;
  const std::vector<std::string>& own_hosts() const { return hosts_; }
  // The cookie that carries the token once the page was opened with it (one per port).
  std::string token_cookie() const;

 private:
  bool own_host(std::string_view host) const;
  std::vector<std::string> hosts_;
  bool any_host_ = false;  // bound to every address (0.0.0.0, ::): the port decides
  std::string port_suffix_;
  std::string token_;
};

// Equal in time whatever the contents, so that a wrong token says nothing of the right one.
bool same_token(std::string_view given, std::string_view token);

// A new token: 32 random hex digits.
std::string generate_token();

// Serves until `stop` is set (a signal); prints the address to open on `out`. Throws
// trygg::Error when the port cannot be bound or a folder is missing.
void serve(const ServeOptions& options, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace trygg::web
