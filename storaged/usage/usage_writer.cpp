#include "storaged/usage/usage_writer.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/asio/post.hpp>

#include "common/log/logging.h"
#include "storaged/docroot/docroot.h"
#include "storaged/usage/mount_table.h"
#include "storaged/usage/usage_format.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace mog::storage {
namespace {

constexpr const char* kUsageFile = "usage";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Where an open directory really is (symlinks resolved), for the mount lookup.
std::string RealPathOf(int fd) {
  char target[PATH_MAX];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = readlink(link.c_str(), target, sizeof target);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : std::string();
}

bool WriteAllTo(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

UsageWriter::UsageWriter(boost::asio::io_context& io, const Docroot& docroot,
                         std::chrono::seconds period, std::string mountinfo_path)
    : docroot_(docroot), period_(period), mountinfo_path_(std::move(mountinfo_path)), timer_(io) {}

void UsageWriter::Start() {
  if (running_) return;
  running_ = true;
  WriteAll();
  Arm();
}

void UsageWriter::Stop() {
  running_ = false;
  timer_.cancel();
  worker_.stop();  // a pass in progress finishes; none starts
}

UsageWriter::~UsageWriter() {
  Stop();
  worker_.join();
}

void UsageWriter::Arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    if (!pass_running_.exchange(true)) {
      boost::asio::post(worker_, [this] {
        WriteAll();
        pass_running_ = false;
      });
    }
    Arm();
  });
}

int UsageWriter::WriteAll() {
  auto log = Logger("usage");
  std::vector<MountEntry> mounts = ParseMountInfo(ReadAll(mountinfo_path_));
  int written = 0;
  for (const DocPath& device : docroot_.Devices()) {
    auto opened = docroot_.OpenRead(device, O_DIRECTORY);
    if (!opened.ok()) {
      log->warn("usage: cannot open {}/{}: {}", docroot_.root(), device.device_dir,
                std::strerror(opened.failure.err));
      continue;
    }
    Fd dir(*opened.value);
    struct statvfs fs {};
    struct stat st {};
    if (fstatvfs(dir.get(), &fs) != 0 || fstat(dir.get(), &st) != 0) {
      log->warn("usage: statvfs {}/{}: {}", docroot_.root(), device.device_dir,
                std::strerror(errno));
      continue;
    }
    auto mount = FindMount(mounts, st.st_dev, RealPathOf(dir.get()));
    DfFigures df = DfFromStatvfs(fs, mount ? mount->source : std::string("-"),
                                 mount ? mount->mount_point : std::string());
    std::string text = FormatUsageFile(
        MakeUsageReport(df, docroot_.root(), device.device_dir, std::time(nullptr)));

    // Temp file then rename: readers (the tracker's GET of devN/usage) see the old or the
    // new file, never a torn one. The temp name is unique per process so two daemons on
    // one docroot by mistake do not interleave bytes.
    std::string temp = std::string(".") + kUsageFile + "." + std::to_string(getpid()) + ".tmp";
    int fd = openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                    0644);
    if (fd < 0) {
      log->warn("usage: cannot write {}/{}/{}: {}", docroot_.root(), device.device_dir, temp,
                std::strerror(errno));
      continue;
    }
    bool ok = WriteAllTo(fd, text);
    int saved_errno = errno;
    close(fd);
    if (!ok || renameat(dir.get(), temp.c_str(), dir.get(), kUsageFile) != 0) {
      if (ok) saved_errno = errno;
      log->warn("usage: cannot update {}/{}/usage: {}", docroot_.root(), device.device_dir,
                std::strerror(saved_errno));
      unlinkat(dir.get(), temp.c_str(), 0);
      continue;
    }
    ++written;
  }
  return written;
}

}  // namespace mog::storage
