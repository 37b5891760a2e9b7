#include "common/protocol/line_codec.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

using std::string_literals::operator""s;

TEST(LineCodecTest, QueryVerbIsLowerCasedAndArgsFollowSpaces) {
  RequestLine l = ParseRequestLine("  GET_Paths   domain=d&key=k  ");
  EXPECT_EQ(l.kind, LineKind::kQuery);
  EXPECT_EQ(l.verb, "get_paths");
  EXPECT_EQ(l.raw_args, "domain=d&key=k  ");  // trailing spaces stay in the last value
}

TEST(LineCodecTest, EmptyLineIsIgnored) {
  EXPECT_EQ(ParseRequestLine("").kind, LineKind::kEmpty);
}

TEST(LineCodecTest, LineWithoutVerbIsAQueryWithEmptyVerb) {
  RequestLine l = ParseRequestLine("???");
  EXPECT_EQ(l.kind, LineKind::kQuery);
  EXPECT_EQ(l.verb, "");
  EXPECT_EQ(ParseRequestLine("   ").verb, "");
  EXPECT_EQ(ParseRequestLine("!").kind, LineKind::kQuery);
}

TEST(LineCodecTest, VerbStopsAtFirstNonWordByte) {
  RequestLine l = ParseRequestLine("noop?x=1");
  EXPECT_EQ(l.verb, "noop");
  EXPECT_EQ(l.raw_args, "?x=1");
}

TEST(LineCodecTest, AdminLines) {
  RequestLine l = ParseRequestLine("!want 3 queryworker");
  EXPECT_EQ(l.kind, LineKind::kAdmin);
  EXPECT_EQ(l.verb, "want");
  EXPECT_EQ(l.raw_args, "3 queryworker");
  EXPECT_EQ(ParseRequestLine("!stats").kind, LineKind::kAdmin);
  // ^!(\S+)(?:\s+(.+))?$ does not match trailing blanks only: handed on as a query.
  EXPECT_EQ(ParseRequestLine("!stats ").kind, LineKind::kQuery);
}

TEST(LineCodecTest, DecodeArgsDropsEmptyAndZeroPieces) {
  RequestArgs a = DecodeArgs("a=1&&0&b=2&");
  ASSERT_EQ(a.items().size(), 2u);
  EXPECT_EQ(a.Get("a"), "1");
  EXPECT_EQ(a.Get("b"), "2");
  EXPECT_FALSE(a.Has("0"));
}

TEST(LineCodecTest, DecodeArgsKeepsOnlySecondEqualsField) {
  RequestArgs a = DecodeArgs("a=b=c&novalue&x=");
  EXPECT_EQ(a.Get("a"), "b");
  EXPECT_TRUE(a.Has("novalue"));
  EXPECT_EQ(a.Get("novalue"), "");
  EXPECT_TRUE(a.Has("x"));
  EXPECT_EQ(a.Get("x"), "");
}

TEST(LineCodecTest, DecodeArgsPlusThenPercent) {
  RequestArgs a = DecodeArgs("k%3D+y=a+b%2Bc%zz%e9");
  EXPECT_EQ(a.Get("k= y"), "a b+c%zz\xe9");
}

TEST(LineCodecTest, RepeatedNamesJoinWithNulOnlyAfterTrueValue) {
  EXPECT_EQ(DecodeArgs("z=1&z=2").Get("z"), "1\0002"s);
  EXPECT_EQ(DecodeArgs("z=0&z=5").Get("z"), "05");
  EXPECT_EQ(DecodeArgs("z=&z=5").Get("z"), "5");
}

TEST(LineCodecTest, TruthinessFollowsPerl) {
  RequestArgs a = DecodeArgs("a=0&b=&c=00&d=x");
  EXPECT_FALSE(a.Truthy("a"));
  EXPECT_FALSE(a.Truthy("b"));
  EXPECT_TRUE(a.Truthy("c"));
  EXPECT_TRUE(a.Truthy("d"));
  EXPECT_FALSE(a.Truthy("missing"));
}

TEST(LineCodecTest, TakeLineStripsOneCarriageReturn) {
  std::string buf = "a\r\nb\r\r\nc\rd\npartial";
  EXPECT_EQ(TakeLine(&buf), "a");
  EXPECT_EQ(TakeLine(&buf), "b\r");
  EXPECT_EQ(TakeLine(&buf), "c\rd");  // a bare \r is not a terminator
  EXPECT_EQ(TakeLine(&buf), std::nullopt);
  EXPECT_EQ(buf, "partial");
}

TEST(LineCodecTest, EncodeOkKeepsTrailingSpaceWhenEmpty) {
  EXPECT_EQ(EncodeOk({}), "OK \r\n");
  EXPECT_EQ(EncodeOk({{"domain", "a b"}}), "OK domain=a+b\r\n");
  EXPECT_EQ(EncodeOk({{"k", "x=y&z"}}, "id 1"), "OK k=x%3Dy%26z&callid=id+1\r\n");
  EXPECT_EQ(EncodeOk({}, ""), "OK callid=\r\n");
}

TEST(LineCodecTest, EncodeErrUsesDefaultTextAndCallid) {
  EXPECT_EQ(EncodeErr(Errc::kNoDomain, ""), "ERR no_domain No+domain+provided\r\n");
  EXPECT_EQ(EncodeErr(Errc::kNoKey, ""), "ERR no_key no_key\r\n");
  EXPECT_EQ(EncodeErr(Errc::kFailure, "x=1; y"), "ERR failure x%3D1%3B+y\r\n");
  EXPECT_EQ(EncodeErr(Errc::kUnknownKey, "", "c&1"), "ERR unknown_key unknown_key c%261\r\n");
  EXPECT_EQ(EncodeErr(Error(Errc::kDb)), "ERR db Database+error\r\n");
}

TEST(LineCodecTest, EncodeRequest) {
  EXPECT_EQ(EncodeRequest("noop", {}), "noop \r\n");
  EXPECT_EQ(EncodeRequest("get_paths", {{"domain", "d"}, {"key", "a/b c"}}),
            "get_paths domain=d&key=a/b+c\r\n");
}

TEST(LineCodecTest, ParseReplyOk) {
  Reply r = ParseReply("OK paths=1&path1=http://127.0.0.2:7500/dev1/0/000/000/0000000001.fid\r\n");
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.malformed);
  EXPECT_EQ(r.args.Get("paths"), "1");
  EXPECT_EQ(r.args.Get("path1"), "http://127.0.0.2:7500/dev1/0/000/000/0000000001.fid");
  Reply empty = ParseReply("OK \r\n");
  EXPECT_TRUE(empty.ok);
  EXPECT_TRUE(empty.args.empty());
  // The worker timing prefix is skipped by the client's regex.
  EXPECT_EQ(ParseReply("OK 12 a=1").args.Get("a"), "1");
}

TEST(LineCodecTest, ParseReplyErr) {
  Reply r = ParseReply("ERR unknown_key unknown_key cid\r\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.errcode, "unknown_key");
  EXPECT_EQ(r.errstr, "unknown_key");
  Reply d = ParseReply("ERR no_domain No+domain+provided");
  EXPECT_EQ(d.errstr, "No domain provided");
}

TEST(LineCodecTest, ParseReplyGarbageIsMalformed) {
  EXPECT_TRUE(ParseReply("HELLO").malformed);
  EXPECT_TRUE(ParseReply("OK").malformed);
  EXPECT_TRUE(ParseReply("ERR ").malformed);
  EXPECT_TRUE(ParseReply("").malformed);
}

TEST(LineCodecTest, ServerReplyRoundTripsThroughClientParser) {
  std::string odd("v\0al\xff & = + %", 13);
  Reply r = ParseReply(EncodeOk({{"k", odd}, {"n", "1"}}, "7"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.args.Get("k"), odd);
  EXPECT_EQ(r.args.Get("callid"), "7");
  Reply e = ParseReply(EncodeErr(Errc::kSizeMismatch, "Expected: 5; actual: 4; path: /x"));
  EXPECT_EQ(e.errcode, "size_mismatch");
  EXPECT_EQ(e.errstr, "Expected: 5; actual: 4; path: /x");
}

TEST(LineCodecTest, RequestRoundTripsThroughServerParser) {
  std::string wire = EncodeRequest("create_open", {{"domain", "d&x"}, {"key", "k=v w"}});
  std::string buf = wire;
  auto line = TakeLine(&buf);
  ASSERT_TRUE(line);
  RequestLine l = ParseRequestLine(*line);
  EXPECT_EQ(l.verb, "create_open");
  RequestArgs a = DecodeArgs(l.raw_args);
  EXPECT_EQ(a.Get("domain"), "d&x");
  EXPECT_EQ(a.Get("key"), "k=v w");
}

}  // namespace
}  // namespace mog
