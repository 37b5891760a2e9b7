// Pure pieces of the node client: URL building/parsing, MKCOL directory lists, side-channel
// digest replies and `watch` blocks, digests.
#include <gtest/gtest.h>

#include "trackerd/nodes/digest_hasher.h"
#include "trackerd/nodes/node_url.h"
#include "trackerd/nodes/side_channel_reply.h"

namespace mog::tracker {
namespace {

TEST(NodeUrlTest, ParsesHostPortAndPathOnlyTarget) {
  auto u = ParseNodeUrl("http://127.0.0.2:7500/dev2/0/000/148/0000148056.fid");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.2");
  EXPECT_EQ(u->port, 7500);
  EXPECT_EQ(u->target, "/dev2/0/000/148/0000148056.fid");
  EXPECT_EQ(u->HostHeader(), "127.0.0.2:7500");
  auto d = ParseNodeUrl("http://10.1.1.1/dev1/usage");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, 80);
  EXPECT_EQ(ParseNodeUrl("http://h:1/a?b=c")->target, "/a?b=c");
}

TEST(NodeUrlTest, RejectsWhatCannotBeSentAsPathOnly) {
  for (const char* bad : {"", "https://1.2.3.4:7500/x", "http://user@1.2.3.4:7500/x",
                          "http://1.2.3.4:7500", "http://:7500/x", "http://1.2.3.4:0/x",
                          "http://1.2.3.4:99999/x", "/dev1/usage", "ftp://a/b"}) {
    EXPECT_FALSE(ParseNodeUrl(bad)) << "[" << bad << "]";
  }
}

TEST(NodeUrlTest, MakeNodeUrlJoinsWithOneSlash) {
  EXPECT_EQ(MakeNodeUrl("10.0.0.1", 7500, "/dev1/usage"), "http://10.0.0.1:7500/dev1/usage");
  EXPECT_EQ(MakeNodeUrl("10.0.0.1", 7500, "dev1/usage"), "http://10.0.0.1:7500/dev1/usage");
}

TEST(NodeUrlTest, MkcolDirsAreTheDirectoriesBelowTheDevice) {
  EXPECT_EQ(MkcolDirUrls("http://h:7500/dev2/0/000/148/0000148056.fid"),
            (std::vector<std::string>{"http://h:7500/dev2/0/", "http://h:7500/dev2/0/000/",
                                      "http://h:7500/dev2/0/000/148/"}));
  EXPECT_EQ(MkcolDirUrls("http://h:7500/dev7/test-write/test-write-3"),
            (std::vector<std::string>{"http://h:7500/dev7/test-write/"}));
  EXPECT_TRUE(MkcolDirUrls("http://h:7500/dev7/usage").empty());
  EXPECT_TRUE(MkcolDirUrls("http://h:7500/other/0/x.fid").empty());
  EXPECT_TRUE(MkcolDirUrls("http://h:7500/x/dev1/0/x.fid").empty());
}

TEST(NodeUrlTest, DeviceKeyNamesHostPortAndDevice) {
  EXPECT_EQ(DeviceKeyOfUrl("http://h:7500/dev12/0/000/"), "h:7500/dev12");
  EXPECT_FALSE(DeviceKeyOfUrl("http://h:7500/usage"));
  EXPECT_FALSE(DeviceKeyOfUrl("http://h:7500/devx/0/"));
}

TEST(SideChannelTest, RequestLineHasOptionalReason) {
  EXPECT_EQ(DigestRequestLine(DigestAlg::kMd5, "/dev1/x.fid", ""), "MD5 /dev1/x.fid\r\n");
  EXPECT_EQ(DigestRequestLine(DigestAlg::kSha1, "/dev1/x.fid", "fsck"),
            "SHA-1 /dev1/x.fid fsck\r\n");
}

TEST(SideChannelTest, DigestReplies) {
  const std::string path = "/dev1/0/000/000/0000000012.fid";
  auto ok = ParseDigestLine(path + " MD5=5d41402abc4b2a76b9719d911017c592", DigestAlg::kMd5, path);
  EXPECT_EQ(ok.kind, DigestLineKind::kDigest);
  EXPECT_EQ(ok.hex, "5d41402abc4b2a76b9719d911017c592");
  auto sha = ParseDigestLine(path + " SHA-1=aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
                             DigestAlg::kSha1, path);
  EXPECT_EQ(sha.kind, DigestLineKind::kDigest);
  EXPECT_EQ(ParseDigestLine(path + " MD5=-1", DigestAlg::kMd5, path).kind,
            DigestLineKind::kMissing);
  // Upper-case hex, wrong length, other path, other algorithm, error lines: fall back.
  for (const std::string& bad :
       {path + " MD5=5D41402ABC4B2A76B9719D911017C592", path + " MD5=5d41", path + " MD5=",
        std::string("/dev1/other MD5=5d41402abc4b2a76b9719d911017c592"),
        path + " SHA-1=5d41402abc4b2a76b9719d911017c592", std::string("ERROR: uri invalid"),
        std::string("ERR read /dev1/x at 0 failed"), std::string("")}) {
    EXPECT_EQ(ParseDigestLine(bad, DigestAlg::kMd5, path).kind, DigestLineKind::kUnsupported)
        << bad;
  }
}

TEST(SideChannelTest, WatchBlocksReplaceTheSnapshotOnlyWhenComplete) {
  WatchParser p;
  EXPECT_FALSE(p.Feed("1\t52.55\n2\t-"));
  EXPECT_TRUE(p.latest().empty());
  EXPECT_TRUE(p.Feed("\n10\t7\n.\n3\t1"));
  EXPECT_EQ(p.latest(), (std::map<uint32_t, std::string>{{1, "52.55"}, {2, "-"}, {10, "7"}}));
  EXPECT_TRUE(p.Feed("\n.\n"));
  EXPECT_EQ(p.latest(), (std::map<uint32_t, std::string>{{3, "1"}}));
  // Junk lines are ignored; CRLF tolerated.
  EXPECT_TRUE(p.Feed("ERR iostat unavailable\r\nx\t1\n4\t9\r\n.\r\n"));
  EXPECT_EQ(p.latest(), (std::map<uint32_t, std::string>{{4, "9"}}));
}

TEST(SideChannelTest, WatchParserBoundsAPeerThatNeverSendsNewlines) {
  WatchParser p;
  p.Feed(std::string(WatchParser::kMaxPending + 10, 'x'));
  EXPECT_TRUE(p.overflowed());
  EXPECT_TRUE(p.Feed("5\t3\n.\n"));
  EXPECT_EQ(p.latest().at(5), "3");
}

TEST(DigestHasherTest, KnownVectors) {
  EXPECT_EQ(DigestHex(DigestAlg::kMd5, "hello"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(DigestHex(DigestAlg::kSha1, "hello"), "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  EXPECT_EQ(DigestHex(DigestAlg::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  // Content-MD5 of "!" (the monitor's deliberately wrong header for body ".").
  EXPECT_EQ(DigestBase64(DigestAlg::kMd5, "!"), "kDPg4wXyR8DDyA0MeEjIsw==");
  DigestHasher h(DigestAlg::kMd5);
  h.Update("hel");
  h.Update("lo");
  EXPECT_EQ(h.FinalHex(), "5d41402abc4b2a76b9719d911017c592");
}

TEST(DigestAlgTest, NamesAreExactUpstreamSpellings) {
  EXPECT_EQ(DigestAlgName(DigestAlg::kMd5), "MD5");
  EXPECT_EQ(DigestAlgName(DigestAlg::kSha1), "SHA-1");
  EXPECT_EQ(ParseDigestAlg("SHA-1"), DigestAlg::kSha1);
  EXPECT_FALSE(ParseDigestAlg("md5"));
  EXPECT_FALSE(ParseDigestAlg("SHA1"));
}

}  // namespace
}  // namespace mog::tracker
