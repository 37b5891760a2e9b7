// Issue 8: a request line that cannot be parsed (version not HTTP/x.y, no version, a long run
// of junk) got no answer and held its connection until the 30 s header deadline. Each must get
// "400 Bad request" and a close within a second, whether or not a blank line follows it.
#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/storaged/mogstored_fixture.h"

namespace mog::test {
namespace {

using HttpMalformedRequestTest = MogstoredTest;
using Clock = std::chrono::steady_clock;

constexpr auto kAnswerWithin = std::chrono::seconds(1);
// The client waits a little longer than the bound, so a hang is measured, not waited out.
constexpr auto kClientTimeout = std::chrono::milliseconds(1500);

struct Outcome {
  HttpResponse response;
  bool closed = false;
  Clock::duration elapsed{};
};

class MalformedClient {
 public:
  explicit MalformedClient(uint16_t port) : client_(kNodeIp, port, kClientTimeout) {}
  bool connected() const { return client_.connected(); }

  // Sends `bytes`, then reads one response and waits for the server's close.
  Outcome Send(const std::string& bytes) {
    Outcome out;
    const auto start = Clock::now();
    if (!client_.Send(bytes)) return out;
    out.response = ReadHttpResponse(client_);
    out.closed = client_.PeerClosed();
    out.elapsed = Clock::now() - start;
    return out;
  }

 private:
  TcpClient client_;
};

// The malformed request lines the hostile-input run found unanswered, plus neighbours.
std::vector<std::string> MalformedLines() {
  return {"GET /dev1/nope.fid FOO",
          "UNLOCK / FOO",
          "SEARCH /dev1/ FOO",
          std::string(5 * 1024, 'A'),
          "GET /path",
          "GET /dev1/x http/1.0",
          "GE(T /dev1/x HTTP/1.0",
          "GET / HTTP/1.1 trailing"};
}

std::string Printable(const std::string& s) {
  return ::testing::PrintToString(s.size() > 60 ? s.substr(0, 60) + "..." : s);
}

void ExpectPromptRefusal(const Outcome& out, const std::string& what) {
  EXPECT_EQ(out.response.status_line, "HTTP/1.0 400 Bad request") << what;
  EXPECT_EQ(out.response.body, "<h1>400 - Bad request</h1>\n") << what;
  EXPECT_TRUE(out.closed) << what;
  EXPECT_LT(out.elapsed, kAnswerWithin)
      << what << " took "
      << std::chrono::duration_cast<std::chrono::milliseconds>(out.elapsed).count() << " ms";
}

TEST_F(HttpMalformedRequestTest, MalformedLineWithBlankLineGets400AndCloseAtOnce) {
  for (const std::string& line : MalformedLines()) {
    MalformedClient client(node_->http_port());
    ASSERT_TRUE(client.connected());
    ExpectPromptRefusal(client.Send(line + "\r\n\r\n"), Printable(line));
  }
  EXPECT_EQ(Get("/").status, 200);  // the server is fine
}

TEST_F(HttpMalformedRequestTest, MalformedLineAloneGets400AndCloseAtOnce) {
  // No blank line: the request line alone is enough to refuse (bare LF too).
  for (const std::string& line : MalformedLines()) {
    for (const char* end : {"\r\n", "\n"}) {
      MalformedClient client(node_->http_port());
      ASSERT_TRUE(client.connected());
      ExpectPromptRefusal(client.Send(line + end), Printable(line + end));
    }
  }
}

TEST_F(HttpMalformedRequestTest, JunkWithoutLineEndGets400AndCloseAtOnce) {
  for (const std::string& junk :
       {std::string(5 * 1024, 'A'), std::string("\x16\x03\x01\x02\x00", 5), std::string(" "),
        std::string("GET /dev1/x HTTP/1.1x"), "GET / " + std::string(200 * 1024, 'x'),
        "GET /" + std::string(200 * 1024, 'x')}) {  // the last: a request line over 100 KiB
    MalformedClient client(node_->http_port());
    ASSERT_TRUE(client.connected());
    ExpectPromptRefusal(client.Send(junk), Printable(junk));
  }
}

TEST_F(HttpMalformedRequestTest, EmptyLines) {
  ASSERT_EQ(Put("/dev1/e.fid", "empty lines").status, 200);
  // One empty line before the request line is ignored (RFC 9112 section 2.2)...
  HttpResponse after_crlf = Exchange("\r\nGET /dev1/e.fid HTTP/1.0\r\n\r\n");
  EXPECT_EQ(after_crlf.status, 200);
  EXPECT_EQ(after_crlf.body, "empty lines");
  // ...two are an empty request line.
  MalformedClient client(node_->http_port());
  ASSERT_TRUE(client.connected());
  ExpectPromptRefusal(client.Send("\r\n\r\n"), "two empty lines");
}

TEST_F(HttpMalformedRequestTest, RefusalAfterAValidRequestOnTheSameConnection) {
  ASSERT_EQ(Put("/dev1/k.fid", "kept").status, 200);
  TcpClient client(kNodeIp, node_->http_port(), kClientTimeout);
  ASSERT_TRUE(client.connected());
  const auto start = Clock::now();
  ASSERT_TRUE(
      client.Send("GET /dev1/k.fid HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /dev1/k.fid FOO\r\n\r\n"));
  HttpResponse first = ReadHttpResponse(client);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "kept");
  HttpResponse second = ReadHttpResponse(client);
  EXPECT_EQ(second.status_line, "HTTP/1.0 400 Bad request");
  EXPECT_TRUE(client.PeerClosed());
  EXPECT_LT(Clock::now() - start, kAnswerWithin);
}

TEST_F(HttpMalformedRequestTest, ValidPrefixIsNotRefusedEarly) {
  // What has arrived could still become a request line: no answer yet; the rest makes it one.
  TcpClient client(kNodeIp, node_->http_port(), std::chrono::milliseconds(300));
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /dev1/absent.fid HTTP/1."));
  EXPECT_EQ(client.ReadAll(), "");
  ASSERT_TRUE(client.Send("0\r\n\r\n"));
  EXPECT_EQ(ReadHttpResponse(client).status, 404);
}

}  // namespace
}  // namespace mog::test
