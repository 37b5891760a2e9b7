// Helpers shared by the web listener's integration tests: raw HTTP requests, uploads through
// the web listener, waiting for copies, finding a copy's file on a node's disk.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/cluster.h"
#include "tests/support/net.h"

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

}  // namespace mog::test::web
