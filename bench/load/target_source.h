// Which URL the n-th request of a run goes to: either a list of URLs read from a file (used
// round-robin) or a path template expanded with the request's number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mog::bench {

struct Target {
  std::string host;  // as written in the URL; numeric IPs avoid resolver cost per connection
  uint16_t port = 80;
  std::string path;  // origin-form request target ("/dev1/0/000/000/0000000001.fid")
  bool operator==(const Target&) const = default;
};

// Parses "http://host[:port]/path"; throws std::invalid_argument with the reason.
Target ParseHttpUrl(std::string_view url);

// Expands the placeholders of a path template for number `n`:
//   {n}   -> n in decimal
//   {fid} -> the fid part of a storage path, "b/mmm/ttt/NNNNNNNNNN.fid" (so "/dev1/{fid}"
//            gives "/dev1/0/000/000/0000000005.fid" for n = 5)
std::string ExpandPathTemplate(std::string_view path_template, uint64_t n);

class TargetSource {
 public:
  // One URL per line; blank lines and lines starting with '#' are skipped. Throws
  // std::runtime_error naming the file and line on a bad URL or an empty list.
  static TargetSource FromUrlFile(const std::string& file);
  static TargetSource FromUrls(const std::vector<std::string>& urls);
  // Request seq uses number start + (seq % count), or start + seq when count is 0.
  static TargetSource FromTemplate(std::string host, uint16_t port, std::string path_template,
                                   uint64_t start, uint64_t count);

  Target At(uint64_t seq) const;

 private:
  std::vector<Target> list_;
  Target base_;
  std::string template_;
  uint64_t start_ = 0;
  uint64_t count_ = 0;
};

}  // namespace mog::bench
