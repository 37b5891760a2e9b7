// Tests of http_load: the response-head parser, target expansion and percentiles as plain
// functions, then the real load loop against FakeHttpServer to prove that only complete 2xx
// responses count and that every kind of failure is counted as one.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/load/load_options.h"
#include "bench/load/load_runner.h"
#include "bench/load/response_head.h"
#include "bench/load/run_stats.h"
#include "bench/load/target_source.h"
#include "bench/tests/fake_http_server.h"
#include "common/config/config_file.h"
#include "tests/support/process.h"

namespace mog::bench {
namespace {

TEST(ResponseHead, ParsesStatusLengthAndKeepAlive) {
  auto r = ParseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello");
  ASSERT_EQ(r.state, HeadParse::kComplete);
  EXPECT_EQ(r.head.status, 200);
  EXPECT_EQ(r.head.content_length, 12u);
  EXPECT_TRUE(r.head.keep_alive);
  EXPECT_EQ(r.head.head_size, 39u);  // 17 + 20 + 2
}

TEST(ResponseHead, Http10NeedsExplicitKeepAlive) {
  auto plain = ParseResponseHead("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n");
  EXPECT_FALSE(plain.head.keep_alive);
  // Perlbal/mogstored style: HTTP/1.0 status line with keep-alive headers.
  auto kept = ParseResponseHead(
      "HTTP/1.0 200 OK\r\nContent-Length: 18\r\nConnection: keep-alive\r\n"
      "Keep-Alive: timeout=30, max=100\r\n\r\n");
  EXPECT_TRUE(kept.head.keep_alive);
}

TEST(ResponseHead, CloseHeaderAndMissingLengthEndTheConnection) {
  EXPECT_FALSE(ParseResponseHead("HTTP/1.1 200 OK\r\nConnection: Close\r\n"
                                 "Content-Length: 1\r\n\r\n")
                   .head.keep_alive);
  auto no_length = ParseResponseHead("HTTP/1.1 200 OK\r\n\r\n");
  EXPECT_FALSE(no_length.head.keep_alive);
  EXPECT_EQ(ExpectedBodyBytes(no_length.head, false), std::nullopt);
  auto no_content = ParseResponseHead("HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_TRUE(no_content.head.keep_alive);
  EXPECT_EQ(ExpectedBodyBytes(no_content.head, false), 0u);
}

TEST(ResponseHead, PerlbalTrailingSpaceStatusLine) {
  auto r = ParseResponseHead("HTTP/1.0 201 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(r.state, HeadParse::kComplete);
  EXPECT_EQ(r.head.status, 201);
}

TEST(ResponseHead, IncompleteUntilBlankLine) {
  EXPECT_EQ(ParseResponseHead("HTTP/1.1 200 OK\r\nContent-Len").state, HeadParse::kIncomplete);
  EXPECT_EQ(ParseResponseHead("").state, HeadParse::kIncomplete);
}

TEST(ResponseHead, RejectsMalformedHeads) {
  for (const char* bad : {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n",
                          "HTTP/1.1 2000 OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"}) {
    EXPECT_EQ(ParseResponseHead(bad).state, HeadParse::kMalformed) << bad;
  }
}

TEST(TargetSource, ExpandsFidTemplate) {
  EXPECT_EQ(ExpandPathTemplate("/dev1/{fid}", 5), "/dev1/0/000/000/0000000005.fid");
  EXPECT_EQ(ExpandPathTemplate("/dev2/{fid}", 1234567), "/dev2/0/001/234/0001234567.fid");
  EXPECT_EQ(ExpandPathTemplate("/x/{n}/{n}", 42), "/x/42/42");
  auto source = TargetSource::FromTemplate("127.0.0.1", 80, "/dev1/{fid}", 10, 3);
  EXPECT_EQ(source.At(0).path, "/dev1/0/000/000/0000000010.fid");
  EXPECT_EQ(source.At(4).path, "/dev1/0/000/000/0000000011.fid");  // wraps after 3
}

TEST(TargetSource, ParsesUrlsAndRejectsOthers) {
  Target t = ParseHttpUrl("http://127.0.0.2:7500/dev1/0/000/000/0000000001.fid");
  EXPECT_EQ(t, (Target{"127.0.0.2", 7500, "/dev1/0/000/000/0000000001.fid"}));
  EXPECT_EQ(ParseHttpUrl("http://localhost").port, 80);
  EXPECT_EQ(ParseHttpUrl("http://localhost").path, "/");
  EXPECT_THROW(ParseHttpUrl("https://h/x"), std::invalid_argument);
  EXPECT_THROW(ParseHttpUrl("/just/a/path"), std::invalid_argument);
  auto list = TargetSource::FromUrls({"http://a:1/x", "http://b:2/y"});
  EXPECT_EQ(list.At(3).host, "b");
}

TEST(TargetSource, ReadsUrlFileSkippingCommentsAndNamingBadLines) {
  const std::string file = ::testing::TempDir() + "http_load_urls.txt";
  {
    std::ofstream out(file);
    out << "# storage node 1\n\nhttp://127.0.0.1:7500/dev1/a.fid\r\n  http://127.0.0.2:7500/dev2/b.fid\n";
  }
  TargetSource source = TargetSource::FromUrlFile(file);
  EXPECT_EQ(source.At(0), (Target{"127.0.0.1", 7500, "/dev1/a.fid"}));
  EXPECT_EQ(source.At(1), (Target{"127.0.0.2", 7500, "/dev2/b.fid"}));
  EXPECT_EQ(source.At(2).host, "127.0.0.1");
  {
    std::ofstream out(file);
    out << "http://127.0.0.1:7500/ok\nftp://x/y\n";
  }
  try {
    TargetSource::FromUrlFile(file);
    ADD_FAILURE() << "a non-http URL was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("http_load_urls.txt:2:"), std::string::npos) << e.what();
  }
  { std::ofstream out(file); out << "# nothing\n"; }
  EXPECT_THROW(TargetSource::FromUrlFile(file), std::runtime_error);
  std::remove(file.c_str());
}

TEST(RunStats, NearestRankPercentiles) {
  std::vector<uint32_t> v;
  for (uint32_t i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(PercentileUs(v, 0.50), 50);
  EXPECT_EQ(PercentileUs(v, 0.99), 99);
  EXPECT_EQ(PercentileUs({}, 0.5), 0);
  EXPECT_EQ(PercentileUs({7}, 0.99), 7);
}

TEST(LoadOptions, RequiresABound) {
  bool help = false;
  const char* unbounded[] = {"http_load", "--port", "80", "--path-template", "/x"};
  EXPECT_THROW(ParseLoadOptions(5, unbounded, &help), ConfigError);
  const char* both_sources[] = {"http_load", "--url-list", "f", "--path-template", "/x",
                                "--requests", "1"};
  EXPECT_THROW(ParseLoadOptions(7, both_sources, &help), ConfigError);
  const char* ok[] = {"http_load", "--port", "80", "--path-template", "/x", "--duration", "1",
                      "--method", "PUT", "--body-size", "100", "-c", "4"};
  LoadOptions o = ParseLoadOptions(13, ok, &help);
  EXPECT_EQ(o.method, Method::kPut);
  EXPECT_EQ(o.body_size, 100u);
  EXPECT_EQ(o.concurrency, 4);
}

// --- the load loop against a real socket ---

LoadOptions Options(Method method, int concurrency, uint64_t requests) {
  LoadOptions o;
  o.method = method;
  o.concurrency = concurrency;
  o.requests = requests;
  o.timeout_s = 5;
  o.max_seconds = 60;
  return o;
}

RunResult RunAgainst(test::FakeHttpServer& server, const LoadOptions& o, const std::string& path) {
  return RunLoad(o, TargetSource::FromTemplate("127.0.0.1", server.port(), path, 0, 0));
}

TEST(LoadRunner, CountsCompleteResponsesAndBodyBytes) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 4, 200);
  o.expect_size = 100000;
  RunResult r = RunAgainst(server, o, "/ok/100000");
  EXPECT_EQ(r.stats.ok, 200u) << r.stats.first_error;
  EXPECT_EQ(r.stats.errors(), 0u);
  EXPECT_EQ(r.stats.body_bytes, 200u * 100000u);
  EXPECT_EQ(r.stats.latencies_us.size(), 200u);
  EXPECT_EQ(server.requests(), 200u);
  EXPECT_EQ(r.stats.connections, 4u);  // keep-alive: one connection each
}

TEST(LoadRunner, SmallReceiveBufferStillReadsWholeBodies) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 2, 20);
  o.recv_buffer = 4096;
  RunResult r = RunAgainst(server, o, "/ok/1000000");
  EXPECT_EQ(r.stats.ok, 20u) << r.stats.first_error;
  EXPECT_EQ(r.stats.body_bytes, 20u * 1000000u);
}

TEST(LoadRunner, WrongSizeIsAnError) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 1, 5);
  o.expect_size = 4096;
  RunResult r = RunAgainst(server, o, "/ok/4095");
  EXPECT_EQ(r.stats.ok, 0u);
  EXPECT_EQ(r.stats.size_errors, 5u);
}

TEST(LoadRunner, Non2xxIsAnErrorAndKeepsTheConnection) {
  test::FakeHttpServer server;
  RunResult r = RunAgainst(server, Options(Method::kGet, 2, 10), "/missing");
  EXPECT_EQ(r.stats.ok, 0u);
  EXPECT_EQ(r.stats.status_errors, 10u);
  EXPECT_EQ(r.stats.connections, 2u);
  EXPECT_NE(r.stats.first_error.find("404"), std::string::npos) << r.stats.first_error;
}

TEST(LoadRunner, TruncatedBodyIsATransportError) {
  test::FakeHttpServer server;
  RunResult r = RunAgainst(server, Options(Method::kGet, 1, 3), "/short");
  EXPECT_EQ(r.stats.ok, 0u);
  EXPECT_EQ(r.stats.transport_errors, 3u);
  EXPECT_NE(r.stats.first_error.find("truncated"), std::string::npos) << r.stats.first_error;
}

TEST(LoadRunner, ReconnectsAfterConnectionClose) {
  test::FakeHttpServer server;
  RunResult close = RunAgainst(server, Options(Method::kGet, 1, 6), "/close");
  EXPECT_EQ(close.stats.ok, 6u) << close.stats.first_error;
  EXPECT_EQ(close.stats.connections, 6u);
  RunResult eof = RunAgainst(server, Options(Method::kGet, 1, 4), "/eof");
  EXPECT_EQ(eof.stats.ok, 4u) << eof.stats.first_error;
  EXPECT_EQ(eof.stats.body_bytes, 4u * 5u);
}

TEST(LoadRunner, StalledRequestTimesOut) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 1, 1);
  o.timeout_s = 0.5;
  RunResult r = RunAgainst(server, o, "/stall");
  EXPECT_EQ(r.stats.transport_errors, 1u);
  EXPECT_NE(r.stats.first_error.find("timed out"), std::string::npos) << r.stats.first_error;
  EXPECT_LT(r.elapsed_s, 5.0);
}

TEST(LoadRunner, RefusedConnectionsAreCountedNotSpun) {
  uint16_t port = 0;
  {
    test::FakeHttpServer server;  // learn a port, then free it
    port = server.port();
  }
  LoadOptions o = Options(Method::kGet, 1, 5);
  RunResult r = RunLoad(o, TargetSource::FromTemplate("127.0.0.1", port, "/ok/1", 0, 0));
  EXPECT_EQ(r.stats.ok, 0u);
  EXPECT_EQ(r.stats.transport_errors, 5u);
}

TEST(LoadRunner, DurationBoundsTheRun) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 2, 0);
  o.duration_s = 0.3;
  RunResult r = RunAgainst(server, o, "/ok/10");
  EXPECT_GT(r.stats.ok, 0u);
  EXPECT_EQ(r.stats.errors(), 0u);
  EXPECT_LT(r.elapsed_s, 3.0);
}

TEST(LoadRunner, PutStreamsWholeBodiesInPattern) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kPut, 3, 9);
  o.body_size = (3u << 20) + 17;  // several 1 MiB slices plus a tail
  RunResult r = RunAgainst(server, o, "/dev1/{fid}");
  EXPECT_EQ(r.stats.ok, 9u) << r.stats.first_error;
  EXPECT_EQ(server.put_body_bytes(), 9u * o.body_size);
  EXPECT_TRUE(server.put_bodies_intact());
  EXPECT_EQ(r.stats.body_bytes, 9u * o.body_size);
}

TEST(LoadRunner, ThreadsShareTheRequestBudget) {
  test::FakeHttpServer server;
  LoadOptions o = Options(Method::kGet, 6, 300);
  o.threads = 3;
  RunResult r = RunAgainst(server, o, "/ok/64");
  EXPECT_EQ(r.stats.ok, 300u) << r.stats.first_error;
  EXPECT_EQ(server.requests(), 300u);
}

// --- the http_load executable: exit status and the RESULT line scripts parse ---
namespace cli {

mog::test::CommandResult RunHttpLoad(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {mog::test::BinPath("http_load")};
  argv.insert(argv.end(), args.begin(), args.end());
  return mog::test::RunCommand(argv, std::chrono::seconds(60));
}

TEST(HttpLoadCli, SuccessPrintsResultLineAndExitsZero) {
  test::FakeHttpServer server;
  auto r = RunHttpLoad({"--port", std::to_string(server.port()), "--path-template", "/ok/4096",
                        "--requests", "50", "-c", "2", "--expect-size", "4096", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("RESULT method=GET concurrency=2 ok=50 errors=0 "), std::string::npos)
      << r.output;
}

TEST(HttpLoadCli, FailedRequestsExitOne) {
  test::FakeHttpServer server;
  auto r = RunHttpLoad({"--port", std::to_string(server.port()), "--path-template", "/missing",
                        "--requests", "3"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("ok=0 errors=3 status_errors=3 "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("first error: 127.0.0.1:"), std::string::npos) << r.output;
}

TEST(HttpLoadCli, UnboundedOrUnknownOptionsExitTwo) {
  EXPECT_EQ(RunHttpLoad({"--port", "80", "--path-template", "/x"}).exit_code, 2);
  EXPECT_EQ(RunHttpLoad({"--bogus"}).exit_code, 2);
  EXPECT_EQ(RunHttpLoad({"--method", "POST", "--port", "80", "--path-template", "/x",
                         "--requests", "1"})
                .exit_code,
            2);
  EXPECT_EQ(RunHttpLoad({"--help"}).exit_code, 0);
}

}  // namespace cli
}  // namespace
}  // namespace mog::bench
