#include "storaged/http/response.h"

#include <gtest/gtest.h>

namespace mog::storage::http {
namespace {

RequestHead Request(const std::string& method, unsigned version, const std::string& connection) {
  RequestHead head;
  head.method = method;
  head.target = "/dev1/x";
  head.version = version;
  head.connection = connection;
  return head;
}

TEST(HttpResponseTest, PutSuccessIsByteExact) {
  Response r = SimpleResponse(200, "", Request("PUT", 10, ""));
  EXPECT_EQ(r.head,
            "HTTP/1.0 200 OK\r\n"
            "Content-Type: text/html\r\n"
            "Content-Length: 18\r\n"
            "Server: Perlbal\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_EQ(r.body, "<h1>200 - OK</h1>\n");
  EXPECT_FALSE(r.keep_alive);
}

TEST(HttpResponseTest, CodeWithoutTextKeepsTrailingSpace) {
  Response r = SimpleResponse(201, "", Request("PUT", 11, ""));
  EXPECT_EQ(r.head.substr(0, r.head.find("\r\n")), "HTTP/1.0 201 ");
  EXPECT_EQ(r.body, "<h1>201</h1>\n");
  EXPECT_NE(r.head.find("Content-Length: 13\r\n"), std::string::npos);
}

TEST(HttpResponseTest, KeepAliveRules) {
  EXPECT_TRUE(ClientWantsKeepAlive(Request("GET", 11, "")));
  EXPECT_FALSE(ClientWantsKeepAlive(Request("GET", 11, "close")));
  EXPECT_FALSE(ClientWantsKeepAlive(Request("GET", 11, "Keep-Alive, Close")));
  EXPECT_FALSE(ClientWantsKeepAlive(Request("GET", 10, "")));
  EXPECT_TRUE(ClientWantsKeepAlive(Request("GET", 10, "Keep-Alive")));
  // Perlbal matches whole words: "enclosed" does not mean close.
  EXPECT_TRUE(ClientWantsKeepAlive(Request("GET", 11, "enclosed")));

  Response r = SimpleResponse(404, "", Request("GET", 11, ""));
  EXPECT_EQ(r.head,
            "HTTP/1.0 404 Not Found\r\n"
            "Content-Type: text/html\r\n"
            "Content-Length: 25\r\n"
            "Server: Perlbal\r\n"
            "Connection: keep-alive\r\n"
            "Keep-Alive: timeout=30, max=100\r\n"
            "\r\n");
  EXPECT_EQ(r.body, "<h1>404 - Not Found</h1>\n");
}

TEST(HttpResponseTest, UnreadBodyForcesClose) {
  Response r = SimpleResponse(400, "Invalid filename", Request("PUT", 11, ""), true);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_NE(r.head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(r.body, "<h1>400 - Bad request</h1>\nInvalid filename");
}

TEST(HttpResponseTest, NoContentHasNoBodyOrLength) {
  Response r = SimpleResponse(204, "", Request("DELETE", 11, ""));
  EXPECT_EQ(r.head,
            "HTTP/1.0 204 No Content\r\n"
            "Server: Perlbal\r\n"
            "Connection: keep-alive\r\n"
            "Keep-Alive: timeout=30, max=100\r\n"
            "\r\n");
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpResponseTest, HeadKeepsLengthButDropsBody) {
  Response r = SimpleResponse(200, "Directory listing disabled", Request("HEAD", 11, ""));
  EXPECT_NE(r.head.find("Content-Length: 44\r\n"), std::string::npos);
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpResponseTest, HttpDateIsImfFixdate) {
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace mog::storage::http
