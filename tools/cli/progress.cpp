#include "tools/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace mog::cli {

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buf;
}

ProgressBar::ProgressBar(std::string label, uint64_t total) : label_(std::move(label)) {
  enabled_ = isatty(STDERR_FILENO) == 1 && (total == 0 || total >= kMinBytes);
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done != total && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  drawn_ = true;
  if (total > 0) {
    const int percent = static_cast<int>(done * 100 / total);
    const int width = 30;
    const int filled = percent * width / 100;
    fprintf(stderr, "\r%s [%s%s] %3d%% %s / %s", label_.c_str(), std::string(filled, '#').c_str(),
            std::string(width - filled, ' ').c_str(), percent, HumanBytes(done).c_str(),
            HumanBytes(total).c_str());
  } else {
    fprintf(stderr, "\r%s %s", label_.c_str(), HumanBytes(done).c_str());
  }
  fflush(stderr);
}

void ProgressBar::Finish() {
  if (enabled_ && drawn_) {
    fputc('\n', stderr);
    fflush(stderr);
  }
  drawn_ = false;
}

}  // namespace mog::cli
