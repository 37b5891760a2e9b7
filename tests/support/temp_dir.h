// A fresh directory under $TMPDIR (or /tmp) for one test, removed at scope end unless
// MOG_KEEP_TMP is set (then its path is printed, for post-mortems).
#pragma once

#include <string>

namespace mog::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "mogtest");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

// Whole-file helpers for assertions.
std::string ReadFileOrEmpty(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);
bool FileExists(const std::string& path);

}  // namespace mog::test
