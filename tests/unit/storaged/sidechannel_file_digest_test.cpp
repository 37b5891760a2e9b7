// Whole-file digests against published test vectors, with chunk sizes that force many reads.
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storaged/sidechannel/file_digest.h"
#include <fcntl.h>
#include <unistd.h>

namespace mog::storage {
namespace {

class FileDigestTest : public ::testing::Test {
 protected:
  // An anonymous temporary file (gone when closed) holding `content`.
  int OpenWith(const std::string& content) {
    FILE* file = std::tmpfile();
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(std::fwrite(content.data(), 1, content.size(), file), content.size());
    std::fflush(file);
    files_.push_back(file);
    return fileno(file);
  }
  void TearDown() override {
    for (FILE* file : files_) std::fclose(file);
    for (int fd : fds_) close(fd);
  }
  std::vector<FILE*> files_;
  std::vector<int> fds_;
};

TEST_F(FileDigestTest, KnownVectors) {
  struct Row {
    std::string content;
    DigestAlgorithm algorithm;
    std::string hex;
  };
  const Row rows[] = {
      {"", DigestAlgorithm::kMd5, "d41d8cd98f00b204e9800998ecf8427e"},
      {"", DigestAlgorithm::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"hello", DigestAlgorithm::kMd5, "5d41402abc4b2a76b9719d911017c592"},
      {"hello", DigestAlgorithm::kSha1, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"},
      {std::string(1000000, 'a'), DigestAlgorithm::kMd5, "7707d6ae4e027c70eea2a935c2296f21"},
      {std::string(1000000, 'a'), DigestAlgorithm::kSha1,
       "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
  };
  for (const Row& row : rows) {
    for (size_t chunk : {size_t{1} << 20, size_t{4096}, size_t{7}}) {
      if (chunk == 7 && row.content.size() > 100000) continue;  // keep it quick
      FileDigestResult result = DigestFile(OpenWith(row.content), row.algorithm, {}, chunk);
      EXPECT_EQ(result.status, FileDigestResult::Status::kOk);
      EXPECT_EQ(result.hex, row.hex) << row.content.size() << " bytes, chunk " << chunk;
    }
  }
}

TEST_F(FileDigestTest, DirectoryIsAReadErrorAtOffsetZero) {
  int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  FileDigestResult result = DigestFile(fd, DigestAlgorithm::kMd5);
  EXPECT_EQ(result.status, FileDigestResult::Status::kReadError);
  EXPECT_EQ(result.offset, 0u);
}

TEST_F(FileDigestTest, StopsWhenAskedBetweenReads) {
  int calls = 0;
  auto stop_after_two = [&calls] { return ++calls > 2; };
  FileDigestResult result =
      DigestFile(OpenWith(std::string(100, 'x')), DigestAlgorithm::kSha1, stop_after_two, 10);
  EXPECT_EQ(result.status, FileDigestResult::Status::kCancelled);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace mog::storage
