// Runs every golden transcript of tests/protocol/ (format in tests/protocol/README.md)
// against the shared LocalCluster.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "tests/integration/trackerd/tracker_fixture.h"

#ifndef MOG_PROTOCOL_DIR
#define MOG_PROTOCOL_DIR "tests/protocol"
#endif

namespace mog::test {
namespace {

std::vector<std::string> TranscriptFiles() {
  std::vector<std::string> out;
  if (DIR* dir = opendir(MOG_PROTOCOL_DIR)) {
    while (dirent* e = readdir(dir)) {
      std::string name = e->d_name;
      if (name.size() > 4 && name.ends_with(".txt")) out.push_back(name);
    }
    closedir(dir);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Substitute(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i);
      if (close != std::string::npos) {
        auto it = vars.find(text.substr(i + 1, close - i - 1));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

// Matches `actual` against `expected` with {name} placeholders; binds new names.
bool MatchLine(const std::string& expected, const std::string& actual,
               std::map<std::string, std::string>* vars, std::string* why) {
  size_t e = 0, a = 0;
  while (e < expected.size()) {
    if (expected[e] == '{') {
      const size_t close = expected.find('}', e);
      if (close != std::string::npos) {
        const std::string name = expected.substr(e + 1, close - e - 1);
        size_t end = a;
        while (end < actual.size() && actual[end] != '&' && actual[end] != ' ') ++end;
        const std::string value = actual.substr(a, end - a);
        auto it = vars->find(name);
        if (it != vars->end() && it->second != value) {
          *why = "{" + name + "} was " + it->second + ", now " + value;
          return false;
        }
        (*vars)[name] = value;
        a = end;
        e = close + 1;
        continue;
      }
    }
    if (a >= actual.size() || actual[a] != expected[e]) {
      *why = "differs at byte " + std::to_string(a);
      return false;
    }
    ++a;
    ++e;
  }
  if (a != actual.size()) {
    *why = "extra bytes after byte " + std::to_string(a);
    return false;
  }
  return true;
}

struct Url {
  std::string ip, path;
  uint16_t port = 0;
};

Url ParseUrl(const std::string& url) {
  static const std::regex re(R"(^http://([0-9.]+):(\d+)(/.*)$)");
  std::smatch m;
  Url u;
  if (std::regex_match(url, m, re)) {
    u.ip = m[1];
    u.port = static_cast<uint16_t>(std::stoi(m[2]));
    u.path = m[3];
  }
  return u;
}

using GoldenTest = TrackerTest;

TEST_F(GoldenTest, AllTranscriptsReplayExactly) {
  const auto files = TranscriptFiles();
  ASSERT_FALSE(files.empty()) << "no transcripts in " << MOG_PROTOCOL_DIR;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    TcpClient conn(cluster_->tracker_ip(), cluster_->tracker_port(), std::chrono::seconds(20));
    ASSERT_TRUE(conn.connected());
    std::map<std::string, std::string> vars{{"run", std::to_string(getpid()) + "x" +
                                                        file.substr(0, 3)}};
    std::ifstream in(std::string(MOG_PROTOCOL_DIR) + "/" + file);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      SCOPED_TRACE("line " + std::to_string(line_no) + ": " + line);
      if (line.empty() || line[0] == '#') continue;
      if (line.starts_with("> ")) {
        ASSERT_TRUE(conn.Send(Substitute(line.substr(2), vars) + "\r\n"));
      } else if (line.starts_with("< ")) {
        std::string reply = conn.ReadLine();
        ASSERT_TRUE(reply.ends_with("\r\n")) << "no reply: [" << reply << "]";
        reply.resize(reply.size() - 2);
        std::string why;
        EXPECT_TRUE(MatchLine(line.substr(2), reply, &vars, &why))
            << "got [" << reply << "]: " << why;
      } else if (line.starts_with("PUT ") || line.starts_with("GET ")) {
        const size_t sp = line.find(' ', 4);
        const Url u = ParseUrl(Substitute(line.substr(4, sp - 4), vars));
        const std::string body = sp == std::string::npos ? "" : line.substr(sp + 1);
        ASSERT_NE(u.port, 0);
        if (line[0] == 'P') {
          HttpResponse r = HttpExchange(u.ip, u.port,
                                        "PUT " + u.path + " HTTP/1.0\r\nContent-Length: " +
                                            std::to_string(body.size()) + "\r\n\r\n" + body);
          EXPECT_GE(r.status, 200);
          EXPECT_LT(r.status, 300);
        } else {
          HttpResponse r = HttpExchange(u.ip, u.port, "GET " + u.path + " HTTP/1.0\r\n\r\n");
          EXPECT_EQ(r.status, 200);
          EXPECT_EQ(r.body, body);
        }
      } else {
        ADD_FAILURE() << "unknown transcript line";
      }
    }
  }
}

}  // namespace
}  // namespace mog::test
