#include <dirent.h>
#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "storaged/http/delete_handler.h"
#include "storaged/http/put_handler.h"
#include "tests/support/temp_dir.h"

namespace mog::storage::http {
namespace {

using mog::test::FileExists;
using mog::test::ReadFileOrEmpty;
using mog::test::TempDir;
using mog::test::WriteFile;

// Everything in a directory, hidden names included.
std::vector<std::string> List(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (auto* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") out.push_back(name);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PutDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override { ::mkdir(dir_.Sub("dev1").c_str(), 0755); }
  RequestHead Req(const std::string& method, const std::string& target) {
    RequestHead head;
    head.method = method;
    head.target = target;
    return head;
  }
  std::unique_ptr<PutUpload> Begin(const RequestHead& head) {
    auto started = PutUpload::Begin(docroot_, head);
    if (auto* o = std::get_if<Outcome>(&started)) {
      ADD_FAILURE() << "refused: " << o->status << " " << o->message;
      return nullptr;
    }
    return std::move(std::get<std::unique_ptr<PutUpload>>(started));
  }
  Outcome Refusal(const RequestHead& head) {
    auto started = PutUpload::Begin(docroot_, head);
    EXPECT_TRUE(std::holds_alternative<Outcome>(started));
    return std::holds_alternative<Outcome>(started) ? std::get<Outcome>(started) : Outcome{};
  }

  TempDir dir_;
  Docroot docroot_{dir_.path()};
};

TEST_F(PutDeleteTest, PutCreatesParentsAndIsInvisibleUntilFinished) {
  auto upload = Begin(Req("PUT", "/dev1/0/000/000/0000000005.fid"));
  ASSERT_TRUE(upload);
  ASSERT_EQ(upload->Append("abc", 3), 0);
  const std::string leaf = dir_.Sub("dev1/0/000/000");
  auto during = List(leaf);
  ASSERT_EQ(during.size(), 1u);
  EXPECT_EQ(during[0].front(), '.');                      // hidden temp name
  EXPECT_TRUE(during[0].ends_with(".tmp"));               // never a .fid
  EXPECT_FALSE(FileExists(leaf + "/0000000005.fid"));
  EXPECT_EQ(upload->Finish(), (Outcome{200, ""}));
  EXPECT_EQ(List(leaf), std::vector<std::string>{"0000000005.fid"});
  EXPECT_EQ(ReadFileOrEmpty(leaf + "/0000000005.fid"), "abc");
}

TEST_F(PutDeleteTest, AbandonedUploadLeavesTargetUntouched) {
  WriteFile(dir_.Sub("dev1/keep.fid"), "old");
  {
    auto upload = Begin(Req("PUT", "/dev1/keep.fid"));
    ASSERT_TRUE(upload);
    upload->Append("partial new", 11);
  }  // destroyed without Finish(): the client went away
  EXPECT_EQ(List(dir_.Sub("dev1")), std::vector<std::string>{"keep.fid"});
  EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("dev1/keep.fid")), "old");
}

TEST_F(PutDeleteTest, ContentMd5MatchGives201MismatchGives400) {
  RequestHead good = Req("PUT", "/dev1/test-write/test-md5");
  good.content_md5 = "XUFAKrxLKna5cZ2REBfFkg==";  // md5("hello")
  auto upload = Begin(good);
  ASSERT_TRUE(upload);
  upload->Append("hello", 5);
  EXPECT_EQ(upload->Finish(), (Outcome{201, ""}));

  RequestHead bad = Req("PUT", "/dev1/test-write/test-md5");
  bad.content_md5 = "MzMzMzMzMzMzMzMzMzMzMw==";
  upload = Begin(bad);
  ASSERT_TRUE(upload);
  upload->Append(".", 1);
  EXPECT_EQ(upload->Finish(),
            (Outcome{400, "Content-MD5 mismatch, expected: MzMzMzMzMzMzMzMzMzMzMw actual: "
                          "UFjxr4OIYz9gnK23WnXcnQ"}));
  EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("dev1/test-write/test-md5")), "hello");
  EXPECT_EQ(List(dir_.Sub("dev1/test-write")), std::vector<std::string>{"test-md5"});
}

TEST_F(PutDeleteTest, PutRefusals) {
  EXPECT_EQ(Refusal(Req("PUT", "/dev9/x.fid")), (Outcome{404, "Base directory does not exist"}));
  EXPECT_EQ(Refusal(Req("PUT", "/other/x.fid")), (Outcome{404, "Base directory does not exist"}));
  EXPECT_EQ(Refusal(Req("PUT", "/x.fid")),
            (Outcome{400, "Does not meet minimum directory requirement"}));
  EXPECT_EQ(Refusal(Req("PUT", "/dev1/../x")), (Outcome{400, "Invalid filename"}));
  EXPECT_EQ(Refusal(Req("PUT", "/dev1/%2e%2e/x")), (Outcome{400, "Invalid filename"}));
  WriteFile(dir_.Sub("dev1/file"), "x");
  EXPECT_EQ(Refusal(Req("PUT", "/dev1/file/x.fid")).status, 500);  // a file in the way
}

TEST_F(PutDeleteTest, PutThroughSymlinkOutOfDeviceIsRefused) {
  TempDir outside;
  ASSERT_EQ(::symlink(outside.path().c_str(), dir_.Sub("dev1/out").c_str()), 0);
  EXPECT_EQ(Refusal(Req("PUT", "/dev1/out/x.fid")).status, 403);
  EXPECT_EQ(Refusal(Req("PUT", "/dev1/out/new/x.fid")).status, 403);
  EXPECT_TRUE(List(outside.path()).empty());
}

TEST_F(PutDeleteTest, DeleteOutcomes) {
  WriteFile(dir_.Sub("dev1/usage"), "x");
  ::mkdir(dir_.Sub("dev1/dir").c_str(), 0755);
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/usage")), (Outcome{204, ""}));
  EXPECT_FALSE(FileExists(dir_.Sub("dev1/usage")));
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/usage")).status, 404);
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/dir")), (Outcome{400, "Is a directory"}));
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/dir/")),
            (Outcome{400, "Invalid filename"}));
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/../x")),
            (Outcome{400, "Invalid filename"}));
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/elsewhere")).status, 404);
}

TEST_F(PutDeleteTest, DeleteThroughSymlinkOutOfDeviceIsRefused) {
  TempDir outside;
  WriteFile(outside.Sub("victim"), "x");
  ASSERT_EQ(::symlink(outside.path().c_str(), dir_.Sub("dev1/out").c_str()), 0);
  EXPECT_EQ(HandleDelete(docroot_, Req("DELETE", "/dev1/out/victim")).status, 403);
  EXPECT_TRUE(FileExists(outside.Sub("victim")));
}

}  // namespace
}  // namespace mog::storage::http
