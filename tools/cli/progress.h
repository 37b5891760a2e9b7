// A progress line on stderr for long transfers: shown only when stderr is a terminal and the
// transfer is large, so scripts and logs never see it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mog::cli {

class ProgressBar {
 public:
  // Enabled iff stderr is a tty and (total is unknown or >= kMinBytes).
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  void Update(uint64_t done, uint64_t total);
  void Finish();
  bool enabled() const { return enabled_; }

  static constexpr uint64_t kMinBytes = 8ull << 20;

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

// "12.3 MiB" style.
std::string HumanBytes(uint64_t bytes);

}  // namespace mog::cli
