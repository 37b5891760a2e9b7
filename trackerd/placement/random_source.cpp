#include "trackerd/placement/random_source.h"

namespace mog::tracker {

DefaultRandom::DefaultRandom() : engine_(std::random_device{}()) {}

double DefaultRandom::NextUnit() {
  std::lock_guard lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

RandomSource& GlobalRandom() {
  static DefaultRandom random;
  return random;
}

}  // namespace mog::tracker
