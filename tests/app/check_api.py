#!/usr/bin/python3
"""Checks trygg serve's JSON API (docs/app.md) point by point, over real HTTP.

    check_api.py TRYGG SOURCE_DIR WORK_DIR

Starts the server on a free port and checks: the Host and Origin rules on localhost; that a
malformed, oversized or escaping request gets a clear error and the server keeps serving;
uploads of district data; the plan; a run from posting to its result, whose downloaded YAML
gives the same datasets under `trygg run`; cancelling; refusing a job that cannot fit; the
report; and, on a non-local bind, that no request goes through without the token. Exits 1 with
every failure listed.
"""
import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np

FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print(f"FAIL: {what}", flush=True)
    return condition


class Server:
    """A trygg serve process and an HTTP client of it."""

    def __init__(self, trygg, results, *extra):
        self.process = subprocess.Popen(
            [trygg, "serve", "--port", "0", "--results", str(results), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        said = ""
        match = None
        while not match and self.process.poll() is None and said.count("\n") < 5:
            line = self.process.stdout.readline()
            said += line
            match = re.search(r"open http://([^/]+)/(\?token=([0-9a-f]+))?", line)
        if not match:
            line = said
            self.stop()
            raise SystemExit(f"trygg serve did not say where it listens: {line!r}")
        self.hostport = match.group(1)
        self.port = int(self.hostport.rsplit(":", 1)[1])
        self.token = match.group(3)

    def request(self, method, path, body=None, headers=None, host=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        all_headers = {"Host": host or f"127.0.0.1:{self.port}"}
        all_headers.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data

    def json(self, method, path, body=None, **kwargs):
        status, headers, data = self.request(method, path, body, **kwargs)
        try:
            return status, json.loads(data) if data else None
        except json.JSONDecodeError:
            return status, {"raw": data[:200]}

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def document(scale=0.02, replicates=2, **extra):
    doc = {"extends": "norrkoping.yaml", "name": "api-check",
           "population": {"scale": scale}, "replicates": replicates,
           "time": {"horizon_years": 2},
           "arms": {"baseline": {},
                    "est_navestad": {"label": "EST i Navestad",
                                     "measures": {"est": {"districts": ["Navestad"],
                                                          "start": "2024-01-01"}}}}}
    doc.update(extra)
    return json.dumps(doc)


def wait_until(server, run_id, states, timeout=300):
    deadline = time.time() + timeout
    seen = []
    while time.time() < deadline:
        _, status = server.json("GET", f"/api/runs/{run_id}")
        seen.append(status)
        if status["status"] in states:
            return status, seen
        time.sleep(0.2)
    raise SystemExit(f"run {run_id} never reached {states}: last {seen[-1]}")


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                out[name] = item[()]
        f.visititems(visit)
    return out


def differing_datasets(app_file, cli_file):
    """The datasets of two result files that differ, bit for bit; wall times are the one dataset
    that measures the machine, not the model."""
    app_sets, cli_sets = datasets(app_file), datasets(cli_file)
    return len(app_sets), sorted(name for name in set(app_sets) | set(cli_sets)
                                 if name != "runs/wall_seconds"
                                 and not (name in app_sets and name in cli_sets
                                          and same_value(app_sets[name], cli_sets[name])))


def same_value(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind == "f":
            return a.tobytes() == b.tobytes()  # bit for bit, NaN included
        return np.array_equal(a, b)
    return a == b


def check_guards(server):
    status, body = server.json("GET", "/api/machine")
    check(status == 200 and body["threads"] >= 1, f"GET /api/machine: {status} {body}")
    status, body = server.json("GET", "/api/machine", host=f"rebound.example:{server.port}")
    check(status == 421 and "not this server's own" in body["error"],
          f"a foreign Host is refused with 421: {status} {body}")
    status, body = server.json("POST", "/api/plan", document(),
                               headers={"Origin": "http://evil.example"})
    check(status == 403 and "Origin" in body["error"],
          f"a cross-site Origin is refused with 403: {status} {body}")
    status, body = server.json("POST", "/api/plan", document(),
                               headers={"Origin": f"http://localhost:{server.port}"})
    check(status == 200, f"the server's own Origin goes through: {status} {body}")


def check_bad_requests(server):
    bad = json.loads(document())
    bad["arms"]["est_navestad"]["measures"]["est"]["capacity"] = -5
    text = json.dumps(bad, indent=1)
    status, body = server.json("POST", "/api/runs", text)
    check(status == 422, f"a bad value gets 422: {status} {body}")
    check(re.search(r"^scenario:\d+:\d+: arms\.est_navestad\.measures\.est\.capacity: expected "
                    r"a number between 0 and \d+, got -5$", body.get("error", "")),
          f"the error names the document, line, column and key: {body}")
    for text, expected in [
        ("{{{", "scenario:"),
        ("- a\n- b\n", "expected a map of scenario settings"),
        (document(extends="../CMakeLists.txt"), "extends: expected a scenario file inside"),
        (document(extends="/etc/passwd"), "extends: expected a scenario file inside"),
        (json.dumps({"extends": "norrkoping.yaml", "population": {"data": "/etc/hostname"}}),
         "population.data: expected a district data file inside"),
        (document(no_such_key=1), "no_such_key"),
    ]:
        status, body = server.json("POST", "/api/plan", text)
        check(status == 422 and expected in body.get("error", ""),
              f"{text[:60]!r} gets 422 naming {expected!r}: {status} {body}")
    status, body = server.json("POST", "/api/runs", "x" * (2 << 20),
                               headers={"Content-Type": "application/yaml"})
    check(status == 413 and "larger" in body.get("error", ""),
          f"a 2 MiB body gets 413: {status} {body}")
    status, body = server.json("POST", "/api/plan", "x" * (16 << 10),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 413 and "application/yaml" in body.get("error", ""),
          f"a large form-encoded body gets 413 saying how to send it: {status} {body}")
    for query, expected in [("?parameter_sets=../../etc/passwd", "parameter_sets: expected one"),
                            ("?parameter_sets=calibration/norrkoping.accepted.tsv&draws=0",
                             "draws: expected a whole number"),
                            ("?draws=3", "draws: expected with parameter_sets")]:
        status, body = server.json("POST", "/api/plan" + query, document())
        check(status == 422 and expected in body.get("error", ""),
              f"{query} gets 422 naming {expected!r}: {status} {body}")
    for path in ["/api/runs/0123456789abcdef", "/api/runs/../../etc/passwd", "/api/nothing",
                 "/api/runs/0123456789abcdef/result", "/../CMakeLists.txt"]:
        status, body = server.json("GET", path)
        check(status == 404 and "error" in body, f"GET {path} gets 404: {status} {body}")
    status, body = server.json("GET", "/api/machine")
    check(status == 200, "the server keeps serving after bad requests")


def check_data_upload(server, source):
    text = (source / "scenarios/data/norrkoping/districts.yaml").read_text(encoding="utf-8")
    status, body = server.json("POST", "/api/data", text.replace("population: {value: 9546",
                                                                 "population: {value: -9546"))
    check(status == 422 and "population" in body.get("error", ""),
          f"bad district data gets 422 with its key: {status} {body}")
    status, body = server.json("POST", "/api/data", text)
    if not check(status == 201, f"good district data gets 201: {status} {body}"):
        return None
    check(any(d["name"] == "Navestad" and "Hageby" in d["neighbours"] for d in body["districts"]),
          "the uploaded districts come back with their neighbours")
    uploaded = json.loads(document())
    uploaded["population"]["data"] = body["path"]
    status, plan = server.json("POST", "/api/plan", json.dumps(uploaded))
    check(status == 200, f"a scenario on the uploaded data plans: {status} {plan}")
    return body["path"]


def check_run(server, trygg, work):
    status, plan = server.json("POST", "/api/plan", document())
    check(status == 200 and plan["runs"] == 4 and plan["fits"] and plan["seconds"] > 0
          and plan["peak_bytes"] > 0 and plan["available_bytes"] > 0,
          f"the plan says runs, time and memory: {plan}")
    status, posted = server.json("POST", "/api/runs", document())
    if not check(status == 202 and re.fullmatch(r"[0-9a-f]{16}", posted.get("id", "")),
                 f"POST /api/runs answers 202 with an id: {status} {posted}"):
        return
    run_id = posted["id"]
    done, seen = wait_until(server, run_id, {"done", "failed", "cancelled"})
    check(done["status"] == "done", f"the run finished: {done}")
    check(done["runs_done"] == 4 and done["fraction"] == 1.0,
          f"progress counts every run: {done}")
    check(all({"fraction", "seconds_left", "runs_total"} <= set(s) for s in seen),
          "every status has progress and time left")
    status, runs = server.json("GET", "/api/runs")
    check(status == 200 and any(r["id"] == run_id for r in runs), "GET /api/runs lists the run")

    status, comparison = server.json("GET", f"/api/runs/{run_id}/comparison")
    effects = [e for e in comparison.get("effects", []) if e["arm"] == "est_navestad"
               and e["area"] == "Municipality"]
    check(status == 200 and effects and all(e["replicates"] == 2 for e in effects),
          f"the comparison has the EST arm's effects: {status} {str(comparison)[:300]}")

    status, headers, result = server.request("GET", f"/api/runs/{run_id}/result")
    check(status == 200 and result[:8] == b"\x89HDF\r\n\x1a\n"
          and "attachment" in headers.get("Content-Disposition", ""),
          f"the result downloads as HDF5: {status} {headers}")
    (work / "app.h5").write_bytes(result)
    status, headers, yaml_text = server.request("GET", f"/api/runs/{run_id}/scenario.yaml")
    check(status == 200 and b"extends:" in yaml_text, f"the YAML downloads: {status}")
    (work / "downloaded.yaml").write_bytes(yaml_text)
    cli = subprocess.run([trygg, "run", str(work / "downloaded.yaml"), "-o", str(work / "cli.h5"),
                          "--threads", "1", "-q", "--force"], capture_output=True, text=True,
                         cwd=work)
    if check(cli.returncode == 0, f"trygg run on the downloaded YAML: {cli.stderr}"):
        compared, differing = differing_datasets(work / "app.h5", work / "cli.h5")
        check(compared > 20 and not differing,
              f"trygg run on the downloaded YAML gives the same datasets: differ {differing}")

    status, body = server.json("GET", f"/api/runs/{run_id}/report?lang=xx")
    check(status == 400, f"a report in an unknown language gets 400: {status} {body}")
    status, headers, _ = server.request("GET", f"/api/runs/{run_id}/report?lang=en")
    check(status == 303 and headers.get("Location") == f"/api/runs/{run_id}/report/en/",
          f"report?lang=en leads to report/en/: {status} {headers}")
    for language in ["sv", "en"]:
        status, headers, page = server.request("GET", f"/api/runs/{run_id}/report/{language}/")
        check(status == 200 and f'<html lang="{language}"'.encode() in page,
              f"the {language} report is served: {status} {page[:200]}")
        # Its tables, linked as data/..., resolve beside it.
        links = sorted(set(re.findall(rb'href="(data/[^"]+)"', page)))
        check(links, f"the {language} report links its data files")
        for link in links[:3]:
            status, headers, data = server.request(
                "GET", f"/api/runs/{run_id}/report/{language}/{link.decode()}")
            check(status == 200 and data and "attachment" in headers.get("Content-Disposition", ""),
                  f"the report's {link.decode()} downloads: {status}")
    status, _, _ = server.request("GET", f"/api/runs/{run_id}/report/sv/data/..%2F..%2Fresult.h5")
    check(status == 404, f"a data file's name cannot climb out of the report: {status}")
    status, headers, page = server.request("GET", f"/api/runs/{run_id}/report/sv/?download=1")
    check("attachment" in headers.get("Content-Disposition", ""), "the report downloads")
    status, body = server.json("DELETE", f"/api/runs/{run_id}")
    check(status == 200 and body["status"] == "done", "cancelling a finished run leaves it done")


def check_parameter_ensemble(server, trygg, work):
    status, tables = server.json("GET", "/api/parameter-sets")
    table = next((t for t in tables if t["file"] == "calibration/norrkoping.accepted.tsv"), None)
    if not check(status == 200 and table and table["sets"] >= 100 and len(table["parameters"]) >= 10,
                 f"GET /api/parameter-sets lists the calibration's accepted sets: {tables}"):
        return
    query = "?parameter_sets=calibration/norrkoping.accepted.tsv&draws=2"
    status, plan = server.json("POST", "/api/plan" + query, document(replicates=1))
    check(status == 200 and plan["runs"] == 4 and plan["draws"] == 2,
          f"the ensemble's plan counts draws x arms x replicates: {plan}")
    status, posted = server.json("POST", "/api/runs" + query, document(replicates=1))
    if not check(status == 202, f"an ensemble is accepted: {status} {posted}"):
        return
    done, _ = wait_until(server, posted["id"], {"done", "failed", "cancelled"})
    check(done["status"] == "done" and done["runs_done"] == 4, f"the ensemble ran: {done}")
    command = done["command"].split()
    check(command[:2] == ["trygg", "run"] and "--parameter-sets" in command
          and command[command.index("--draws") + 1] == "2",
          f"the status gives the command line that reruns it: {done['command']}")
    _, _, result = server.request("GET", f"/api/runs/{posted['id']}/result")
    (work / "app-ensemble.h5").write_bytes(result)
    _, _, yaml_text = server.request("GET", f"/api/runs/{posted['id']}/scenario.yaml")
    (work / "ensemble.yaml").write_bytes(yaml_text)
    with h5py.File(work / "app-ensemble.h5", "r") as f:
        check("decision" in f and "sweep" in f, "the ensemble's result has its decision group")
    sets = command[command.index("--parameter-sets") + 1]
    cli = subprocess.run([trygg, "run", str(work / "ensemble.yaml"), "--parameter-sets", sets,
                          "--draws", "2", "--replicates", "1", "-o", str(work / "cli-ensemble.h5"),
                          "--threads", "1", "-q", "--force"], capture_output=True, text=True,
                         cwd=work)
    if check(cli.returncode == 0, f"the ensemble's command line runs: {cli.stderr}"):
        compared, differing = differing_datasets(work / "app-ensemble.h5",
                                                 work / "cli-ensemble.h5")
        check(compared > 20 and not differing, f"the command line gives the ensemble's datasets: differ {differing}")


def check_cancel_and_refusal(server):
    status, posted = server.json("POST", "/api/runs", document(scale=0.05, replicates=40))
    check(status == 202, f"a long run is accepted: {status} {posted}")
    run_id = posted["id"]
    running, _ = wait_until(server, run_id, {"running", "done", "failed"})
    status, body = server.json("DELETE", f"/api/runs/{run_id}")
    check(status == 200 and body["status"] in ("cancelling", "cancelled"),
          f"DELETE answers 200, cancelling: {status} {body}")
    ended, _ = wait_until(server, run_id, {"cancelled", "done", "failed"})
    check(ended["status"] == "cancelled", f"the run was cancelled: {ended}")
    status, body = server.json("GET", f"/api/runs/{run_id}/result")
    check(status == 409 and "cancelled" in body["error"], f"a cancelled run has no result: {body}")

    # Its finished runs' series (on the results folder's disk) or what they keep in memory
    # cannot fit: whichever the machine runs out of first is named, with the setting.
    status, body = server.json("POST", "/api/runs", document(scale=1.0, replicates=100000))
    error = body.get("error", "")
    check(status == 422 and ("of memory" in error or "on disk" in error)
          and "replicates" in error,
          f"a job that cannot fit the machine is refused before it starts: {status} {body}")


def check_token(trygg, results):
    server = Server(trygg, results, "--bind", "0.0.0.0")
    try:
        check(server.token and len(server.token) == 32,
              f"a non-local bind prints a generated token: {server.token}")
        host = f"127.0.0.1:{server.port}"
        for path in ["/", "/api/machine", "/api/scenarios"]:
            status, body = server.json("GET", path, host=host)
            check(status == 401 and "token" in body["error"],
                  f"GET {path} without the token gets 401: {status} {body}")
        status, body = server.json("POST", "/api/runs", document(), host=host)
        check(status == 401, f"POST without the token gets 401: {status}")
        status, body = server.json("GET", "/api/machine", host=host,
                                   headers={"Authorization": "Bearer " + "0" * 32})
        check(status == 401, f"a wrong token gets 401: {status}")
        status, body = server.json("GET", "/api/machine", host=host,
                                   headers={"Authorization": "Bearer " + server.token})
        check(status == 200, f"the token as a bearer goes through: {status}")
        status, headers, _ = server.request("GET", f"/api/machine?token={server.token}",
                                            host=host)
        cookie = headers.get("Set-Cookie", "")
        check(status == 200 and "HttpOnly" in cookie and "SameSite=Strict" in cookie,
              f"the token in the address goes through and becomes a strict cookie: {headers}")
        status, _ = server.json("GET", "/api/machine", host=host,
                                headers={"Cookie": cookie.split(";")[0]})
        check(status == 200, f"the cookie goes through: {status}")
    finally:
        server.stop()


def main():
    trygg, source, work = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]), Path(sys.argv[3])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    server = Server(trygg, work / "results")
    try:
        check(server.hostport.startswith("127.0.0.1:") and server.token is None,
              f"the server binds to localhost with no token by default: {server.hostport}")
        check_guards(server)
        check_bad_requests(server)
        check_data_upload(server, source)
        check_run(server, trygg, work)
        check_parameter_ensemble(server, trygg, work)
        check_cancel_and_refusal(server)
    finally:
        code = server.stop()
    check(code == 0, f"trygg serve stops cleanly on SIGTERM: exit {code}")
    check_token(trygg, work / "results-token")
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed", file=sys.stderr)
        return 1
    print("trygg serve's API: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
