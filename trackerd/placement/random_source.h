// The randomness placement decisions use, behind a seam so tests can make them deterministic.
#pragma once

#include <memory>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

namespace mog::tracker {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Uniform in [0, 1).
  virtual double NextUnit() = 0;
};

// Thread-safe Mersenne Twister seeded from std::random_device (or a fixed seed for tests).
class DefaultRandom final : public RandomSource {
 public:
  DefaultRandom();
  explicit DefaultRandom(uint64_t seed) : engine_(seed) {}
  double NextUnit() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// Process-wide instance for production callers.
RandomSource& GlobalRandom();

// Weighted random permutation as upstream's weighted_list: items with weight <= 0 are dropped;
// each next item is drawn with probability weight / (sum of remaining weights).
template <typename T>
std::vector<T> WeightedList(std::vector<std::pair<T, double>> items, RandomSource& random) {
  std::vector<std::pair<T, double>> list;
  double sum = 0;
  for (auto& item : items) {
    if (item.second > 0) {
      sum += item.second;
      list.push_back(std::move(item));
    }
  }
  std::vector<T> out;
  out.reserve(list.size());
  while (!list.empty()) {
    size_t pick = list.size() - 1;  // rounding fallback: the last remaining item
    if (list.size() > 1) {
      const double target = random.NextUnit() * sum;
      double running = 0;
      for (size_t i = 0; i < list.size(); ++i) {
        running += list[i].second;
        if (running >= target) {
          pick = i;
          break;
        }
      }
    } else {
      pick = 0;
    }
    sum -= list[pick].second;
    out.push_back(std::move(list[pick].first));
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(pick));
  }
  return out;
}

}  // namespace mog::tracker
