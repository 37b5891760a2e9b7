// Helpers shared by the web listener's integration tests: raw HTTP requests, uploads through
// the web listener, waiting for copies, finding a copy's file on a node's disk.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/cluster.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include <sys/stat.h>

namespace mog::test::web {

struct Listener {
  std::string ip;
  uint16_t port = 0;
};

inline HttpResponse Request(const Listener& to, const std::string& method,
                            const std::string& target, const std::string& headers = "",
                            const std::string& body = "") {
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" + headers;
  if (method == "PUT" || !body.empty()) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  return HttpExchange(to.ip, to.port, request, method == "HEAD");
}

inline std::string Pattern(size_t size, unsigned seed) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

// get_paths through the tracker (noverify); {} when the key has none or on error.
inline std::vector<std::string> TrackerPaths(LocalCluster& cluster, const std::string& domain,
                                             const std::string& key) {
  Reply r = cluster.Call("get_paths", {{"domain", domain}, {"key", key}, {"noverify", "1"}});
  std::vector<std::string> out;
  if (!r.ok) return out;
  const int n = std::atoi(r.args.Get("paths").c_str());
  for (int i = 1; i <= n; ++i) out.push_back(r.args.Get("path" + std::to_string(i)));
  return out;
}

inline bool WaitCopies(LocalCluster& cluster, const std::string& domain, const std::string& key,
                       size_t copies) {
  return WaitUntil(
      [&] {
        if (TrackerPaths(cluster, domain, key).size() >= copies) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return false;
      },
      std::chrono::seconds(30));
}

// Index into cluster.nodes() of the node a path URL names; -1 if none.
inline int NodeOf(LocalCluster& cluster, const std::string& url) {
  auto& nodes = cluster.nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string prefix =
        "http://" + nodes[i].ip + ":" + std::to_string(nodes[i].http_port) + "/";
    if (url.rfind(prefix, 0) == 0) return static_cast<int>(i);
  }
  return -1;
}

// The file holding a path URL's copy on that node's disk.
inline std::string FileOf(LocalCluster& cluster, const std::string& url) {
  const int node = NodeOf(cluster, url);
  if (node < 0) return "";
  const size_t path = url.find('/', std::string("http://").size());
  return cluster.nodes()[node].docroot + url.substr(path);
}

inline void OverwriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

inline bool HaveProgram(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IXUSR);
}

// Debian's nginx running conf/nginx/mogilefs-web.conf unchanged (included from a generated
// nginx.conf), with the three site files it expects written into its own directory.
class NginxFront {
 public:
  static constexpr const char* kBinary = "/usr/sbin/nginx";

  NginxFront(const std::string& dir, const Listener& listen, const std::vector<Listener>& upstreams,
             const std::string& secret, const std::string& secured_uri_regex)
      : dir_(dir), listen_(listen) {
    ::mkdir(dir_.c_str(), 0755);
    ::mkdir((dir_ + "/mogilefs").c_str(), 0755);
    ::mkdir((dir_ + "/tmp").c_str(), 0755);
    ::mkdir((dir_ + "/cache").c_str(), 0755);
    std::ofstream site(dir_ + "/mogilefs/site.conf");
    site << "upstream mogstored_web {\n";
    for (const auto& u : upstreams) site << "    server " << u.ip << ":" << u.port << ";\n";
    site << "    keepalive 16;\n}\n"
         << "proxy_cache_path " << dir_ << "/cache levels=1:2 keys_zone=mogilefs:4m max_size=256m"
         << " inactive=10m use_temp_path=off;\n"
         << "map $uri $mogilefs_secured {\n    default 0;\n    ~" << secured_uri_regex
         << " 1;\n}\n";
    site.close();
    std::ofstream(dir_ + "/mogilefs/listen.conf")
        << "listen " << listen.ip << ":" << listen.port << ";\n";
    std::ofstream(dir_ + "/mogilefs/secret.conf") << "set $mogilefs_secret \"" << secret << "\";\n";
    std::ofstream conf(dir_ + "/nginx.conf");
    conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
         << "pid " << dir_ << "/nginx.pid;\nerror_log " << dir_ << "/error.log info;\n"
         << "events { worker_connections 512; }\n"
         << "http {\n  access_log " << dir_ << "/access.log;\n"
         << "  client_body_temp_path " << dir_ << "/tmp/body;\n"
         << "  proxy_temp_path " << dir_ << "/tmp/proxy;\n"
         << "  fastcgi_temp_path " << dir_ << "/tmp/fastcgi;\n"
         << "  uwsgi_temp_path " << dir_ << "/tmp/uwsgi;\n"
         << "  scgi_temp_path " << dir_ << "/tmp/scgi;\n"
         << "  include " << MOG_SOURCE_DIR << "/conf/nginx/mogilefs-web.conf;\n}\n";
    conf.close();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kBinary, "-p", dir_ + "/", "-c", dir_ + "/nginx.conf"},
        dir_ + "/nginx.out");
    up_ = WaitForPort(listen.ip, listen.port, std::chrono::seconds(10));
  }
  bool up() const { return up_; }
  const Listener& listener() const { return listen_; }
  std::string Log() const {
    return process_->Log() + ReadFile(dir_ + "/error.log") + ReadFile(dir_ + "/access.log");
  }
  std::string AccessLog() const { return ReadFile(dir_ + "/access.log"); }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  std::string dir_;
  Listener listen_;
  std::unique_ptr<ChildProcess> process_;
  bool up_ = false;
};

}  // namespace mog::test::web
