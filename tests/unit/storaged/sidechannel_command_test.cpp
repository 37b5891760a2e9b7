// Side-channel request decoding: each row is one input line and what the session must do.
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "storaged/sidechannel/command.h"

namespace mog::storage {
namespace {

const ServerFacts kFacts{1700000000, 1700000042};

std::string ReplyFor(std::string_view line) {
  SideChannelCommand command = ParseSideChannelLine(line, kFacts);
  auto* reply = std::get_if<ReplyCommand>(&command);
  return reply ? reply->reply : std::string("<not a reply>");
}

TEST(SideChannelCommandTest, SizeTakesOneUriAfterOneSpace) {
  auto command = ParseSideChannelLine("size /dev1/0/000/000/0000000012.fid", kFacts);
  auto* size = std::get_if<SizeCommand>(&command);
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->uri, "/dev1/0/000/000/0000000012.fid");
}

TEST(SideChannelCommandTest, DigestCommandsAreUpperCaseWithOptionalReason) {
  struct Row {
    std::string line;
    DigestAlgorithm algorithm;
    std::string uri;
    bool fsck;
  };
  const Row rows[] = {
      {"MD5 /dev1/a.fid", DigestAlgorithm::kMd5, "/dev1/a.fid", false},
      {"SHA-1 /dev2/b.fid", DigestAlgorithm::kSha1, "/dev2/b.fid", false},
      {"MD5 /dev1/a.fid fsck", DigestAlgorithm::kMd5, "/dev1/a.fid", true},
      {"SHA-1 /dev1/a.fid fsck", DigestAlgorithm::kSha1, "/dev1/a.fid", true},
      {"MD5 /dev1/a.fid create_close", DigestAlgorithm::kMd5, "/dev1/a.fid", false},
      {"MD5 /dev1/a.fid FSCK", DigestAlgorithm::kMd5, "/dev1/a.fid", false},
  };
  for (const Row& row : rows) {
    auto command = ParseSideChannelLine(row.line, kFacts);
    auto* digest = std::get_if<DigestCommand>(&command);
    ASSERT_NE(digest, nullptr) << row.line;
    EXPECT_EQ(digest->algorithm, row.algorithm) << row.line;
    EXPECT_EQ(digest->uri, row.uri) << row.line;
    EXPECT_EQ(digest->fsck, row.fsck) << row.line;
  }
}

TEST(SideChannelCommandTest, WatchInAnyCase) {
  for (const char* line : {"watch", "WATCH", "Watch"}) {
    EXPECT_TRUE(std::holds_alternative<WatchCommand>(ParseSideChannelLine(line, kFacts))) << line;
  }
}

TEST(SideChannelCommandTest, DotDotInUriIsRefused) {
  EXPECT_EQ(ReplyFor("size /dev1/../etc/passwd"), "ERROR: uri invalid (contains ..)\r\n");
  EXPECT_EQ(ReplyFor("MD5 /dev1/../../x"), "ERROR: uri invalid (contains ..)\r\n");
  EXPECT_EQ(ReplyFor("SHA-1 /dev1/a..b fsck"), "ERROR: uri invalid (contains ..)\r\n");
}

// Anything the patterns above do not match goes to the management interpreter, which
// lower-cases the first word before complaining.
TEST(SideChannelCommandTest, NonMatchingLinesAreUnknownManagementCommands) {
  struct Row {
    std::string line;
    std::string reply;
  };
  const Row rows[] = {
      {"md5 /dev1/a.fid", "ERROR: unknown command: md5\r\n"},
      {"SIZE /dev1/a.fid", "ERROR: unknown command: size\r\n"},
      {"size  /dev1/a.fid", "ERROR: unknown command: size\r\n"},
      {"size /dev1/a.fid extra", "ERROR: unknown command: size\r\n"},
      {"size", "ERROR: unknown command: size\r\n"},
      {"MD5 /dev1/a.fid ", "ERROR: unknown command: md5\r\n"},
      {"MD5 /dev1/a.fid two words", "ERROR: unknown command: md5\r\n"},
      {"sha1 /dev1/a.fid", "ERROR: unknown command: sha1\r\n"},
      {"watch me", "ERROR: unknown command: watch\r\n"},
      {"Frobnicate Now", "ERROR: unknown command: frobnicate\r\n"},
      {"  hello   world  ", "ERROR: unknown command: hello\r\n"},
      {"!!!", "ERROR: invalid command\r\n"},
      {std::string("\x01\xff\x00zz", 5), "ERROR: invalid command\r\n"},
  };
  for (const Row& row : rows) EXPECT_EQ(ReplyFor(row.line), row.reply) << row.line;
}

TEST(SideChannelCommandTest, EmptyAndCommentLinesGetABareCrLf) {
  EXPECT_EQ(ReplyFor(""), "\r\n");
  EXPECT_EQ(ReplyFor("   "), "\r\n");
  EXPECT_EQ(ReplyFor("\r"), "\r\n");
  EXPECT_EQ(ReplyFor("# just a comment"), "\r\n");
}

TEST(SideChannelCommandTest, VersionAndUptimeReportStartTimeAndUptime) {
  const std::string expected = "starttime 1700000000\r\nuptime 42\r\nversion " +
                               std::string(kSideChannelVersion) + "\r\n.\r\n";
  EXPECT_EQ(ReplyFor("version"), expected);
  EXPECT_EQ(ReplyFor("uptime"), expected);
  EXPECT_EQ(ReplyFor("VERSION"), expected);
  EXPECT_EQ(ReplyFor("version now"), "ERROR: The 'version' command takes no arguments\r\n");
}

TEST(SideChannelCommandTest, HelpListsTheManagementCommands) {
  EXPECT_EQ(ReplyFor("HELP"), "help\r\nuptime\r\nversion\r\n.\r\n");
}

// Observed on Perlbal 1.80: case folding stops at '=', the first \w+ run is the command.
TEST(SideChannelCommandTest, CommandNameIsTheFirstWordLowerCasedUpToAnEqualsSign) {
  EXPECT_EQ(ReplyFor("  Foo=Bar x"), "ERROR: unknown command: foo\r\n");
  EXPECT_EQ(ReplyFor("MD5 /dev1/x fsck extra"), "ERROR: unknown command: md5\r\n");
}

TEST(SideChannelCommandTest, ShutdownIsACommandTheSessionJudges) {
  for (std::string_view line : {"shutdown", "shutdown graceful", "SHUTDOWN", "Shutdown Graceful"}) {
    EXPECT_TRUE(std::holds_alternative<ShutdownCommand>(ParseSideChannelLine(line, kFacts)))
        << line;
  }
  EXPECT_EQ(ReplyFor("shutdown now"), "ERROR: unknown command: shutdown\r\n");
  EXPECT_EQ(ReplyFor("shutdowns"), "ERROR: unknown command: shutdowns\r\n");
}

TEST(SideChannelCommandTest, ReplyTexts) {
  EXPECT_EQ(SizeReply("/dev1/a.fid", 5), "/dev1/a.fid 5\r\n");
  EXPECT_EQ(SizeReply("/dev1/a.fid", 0), "/dev1/a.fid 0\r\n");
  EXPECT_EQ(SizeReply("/dev1/nope", -1), "/dev1/nope -1\r\n");
  EXPECT_EQ(DigestReply("/dev1/a.fid", DigestAlgorithm::kMd5, "5d41402abc4b2a76b9719d911017c592"),
            "/dev1/a.fid MD5=5d41402abc4b2a76b9719d911017c592\r\n");
  EXPECT_EQ(DigestMissingReply("/dev1/nope", DigestAlgorithm::kSha1), "/dev1/nope SHA-1=-1\r\n");
  EXPECT_EQ(ReadErrorReply("/dev1/a.fid", 1048576), "ERR read /dev1/a.fid at 1048576 failed\r\n");
}

}  // namespace
}  // namespace mog::storage
