#include "storaged/docroot/stale_temp_sweeper.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <system_error>

#include "common/log/logging.h"

namespace mog::storage {
namespace fs = std::filesystem;

bool IsUploadTempName(std::string_view name) {
  constexpr std::string_view kSuffix = ".tmp";
  constexpr size_t kHex = 16;
  // "." + at least one character + "." + 16 hex + ".tmp"
  if (name.size() < 1 + 1 + 1 + kHex + kSuffix.size() || name.front() != '.') return false;
  if (name.substr(name.size() - kSuffix.size()) != kSuffix) return false;
  const size_t hex_start = name.size() - kSuffix.size() - kHex;
  if (name[hex_start - 1] != '.') return false;
  for (size_t i = hex_start; i < hex_start + kHex; ++i) {
    const char c = name[i];
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

namespace {

bool IsDeviceDirName(std::string_view name) {
  if (name.size() < 4 || name.substr(0, 3) != "dev") return false;
  for (char c : name.substr(3)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

SweepClock::time_point MtimeOf(const struct stat& st) {
  return SweepClock::time_point(std::chrono::duration_cast<SweepClock::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

void SweepDevice(const fs::path& device, SweepClock::time_point cutoff, const std::atomic<bool>& stop,
                 SweepStats& stats) {
  auto log = Logger("mogstored");
  std::error_code ec;
  // Symlinks below dev<N> are not followed: a planted link must not lead the walk elsewhere.
  fs::recursive_directory_iterator it(device, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    log->warn("temp sweep: cannot read {}: {}", device.string(), ec.message());
    return;
  }
  ++stats.dirs;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      log->warn("temp sweep: {} stopped early: {}", device.string(), ec.message());
      return;
    }
    if (stop.load(std::memory_order_relaxed)) return;
    const fs::directory_entry& entry = *it;
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) {
      ++stats.dirs;
      continue;
    }
    const std::string name = entry.path().filename().string();
    if (!IsUploadTempName(name)) continue;
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (MtimeOf(st) >= cutoff) continue;  // possibly an upload of this process
    if (::unlink(entry.path().c_str()) == 0) {
      ++stats.removed;
      log->debug("temp sweep: removed {}", entry.path().string());
    } else {
      ++stats.failed;
      log->warn("temp sweep: cannot remove {}: {}", entry.path().string(),
                std::error_code(errno, std::generic_category()).message());
    }
  }
}

}  // namespace

SweepClock::time_point SweepCutoffAtStart() {
  return SweepClock::now() - std::chrono::milliseconds(100);
}

SweepStats SweepStaleTemps(const std::string& docroot, SweepClock::time_point cutoff,
                           const std::atomic<bool>& stop) {
  SweepStats stats;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(docroot, ec)) {
    if (stop.load(std::memory_order_relaxed)) break;
    const std::string name = entry.path().filename().string();
    if (!IsDeviceDirName(name)) continue;  // only dev<N>; nothing else there is ours
    if (!entry.is_directory(ec)) continue;  // follows a dev<N> symlink to its disk
    SweepDevice(entry.path(), cutoff, stop, stats);
  }
  return stats;
}

StaleTempSweeper::StaleTempSweeper(std::string docroot, SweepClock::time_point cutoff) {
  thread_ = std::thread([this, docroot = std::move(docroot), cutoff] {
    // The walk competes with serving for the disk; let serving win.
    ::setpriority(PRIO_PROCESS, 0, 19);
    const SweepStats stats = SweepStaleTemps(docroot, cutoff, stop_);
    auto log = Logger("mogstored");
    if (stats.removed > 0 || stats.failed > 0) {
      log->info("temp sweep: removed {} stale upload temp file(s) left by an earlier run "
                "({} directories, {} could not be removed)",
                stats.removed, stats.dirs, stats.failed);
    } else {
      log->debug("temp sweep: no stale upload temp files ({} directories)", stats.dirs);
    }
  });
}

StaleTempSweeper::~StaleTempSweeper() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace mog::storage
