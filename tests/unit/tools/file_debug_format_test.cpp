#include "tools/cli/file_debug_format.h"

#include <gtest/gtest.h>

#include "client/tracker_reply.h"

namespace mog::cli {
namespace {

client::ReplyArgs Details() {
  auto parsed = client::ParseTrackerReply(
      "OK fid_fid=12&fid_dmid=1&fid_dkey=/hello.jpg&fid_length=5&fid_classid=0&fid_devcount=2"
      "&fid_domain=testdom&fid_class=default&replqueue_fid=12&replqueue_nexttry=0"
      "&devpath_2=http://h2:7500/dev2/0/000/000/0000000012.fid"
      "&devpath_10=http://h10:7500/dev10/0/000/000/0000000012.fid&devids=2,10&checksum=NONE\r\n");
  EXPECT_TRUE(parsed);
  return *parsed;
}

const char* kTail =
    "\nTempfile and/or queue rows...\n"
    "-    replqueue\n"
    "                   fid:                   12\n"
    "               nexttry:                    0\n"
    "\n- File Row:\n"
    "     class:              default\n"
    "   classid:                    0\n"
    "  devcount:                    2\n"
    "      dkey:           /hello.jpg\n"
    "      dmid:                    1\n"
    "    domain:              testdom\n"
    "       fid:                   12\n"
    "    length:                    5\n"
    "\n- Raw devids: 2,10\n"
    "\n- Stored checksum: NONE\n";

TEST(FileDebugFormatTest, PrintModeListsPathsByDevid) {
  EXPECT_EQ(FormatFileDebug(Details(), PathsMode::kPrint, {}),
            std::string("Paths...\n"
                        " - http://h2:7500/dev2/0/000/000/0000000012.fid\n"
                        " - http://h10:7500/dev10/0/000/000/0000000012.fid\n") +
                kTail);
}

TEST(FileDebugFormatTest, FetchModeFlagsMissingAndMismatchingCopies) {
  std::vector<PathCheck> checks = {
      {"http://h2:7500/dev2/0/000/000/0000000012.fid", "200 OK", 5, std::string("Mon, 01 Jan 2024"),
       "5d41402abc4b2a76b9719d911017c592"},
      {"http://h10:7500/dev10/0/000/000/0000000012.fid", "404 Not Found", 0, std::nullopt,
       "d41d8cd98f00b204e9800998ecf8427e"}};
  EXPECT_EQ(FormatFileDebug(Details(), PathsMode::kFetch, checks),
            std::string("Fetching and summing paths...\n"
                        "\nResults for path: http://h2:7500/dev2/0/000/000/0000000012.fid\n"
                        " - MD5 Hash: 5d41402abc4b2a76b9719d911017c592\n"
                        " - Length: 5\n"
                        " - Last-Modified: Mon, 01 Jan 2024\n"
                        " - HTTP result: 200 OK\n"
                        "\nResults for path: http://h10:7500/dev10/0/000/000/0000000012.fid\n"
                        " - ERROR: File copy is missing: 404 Not Found\n") +
                kTail);
}

TEST(FileDebugFormatTest, NoFileRowAndNoPaths) {
  auto parsed = client::ParseTrackerReply("OK checksum=NONE&tempfile_dkey=k\r\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(FormatFileDebug(*parsed, PathsMode::kFetch, {}),
            "No valid-ish paths found\n"
            "\nTempfile and/or queue rows...\n"
            "-     tempfile\n"
            "                  dkey:                    k\n"
            "- ERROR: No file row was found!\n"
            "File may have been deleted or never closed.\n"
            "See above for any matching rows from tempfile or delqueue.\n"
            "\n- Stored checksum: NONE\n");
}

}  // namespace
}  // namespace mog::cli
