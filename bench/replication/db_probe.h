// Read-only look at a tracker's database: the benchmark decides "replicated" from the rows
// themselves (file_on), not from anything the tracker says, so ours and upstream's are judged
// alike. One connection, every query bounded by the client's read timeout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct st_mysql;

namespace mog::bench {

class DbProbe {
 public:
  DbProbe() = default;
  ~DbProbe();
  DbProbe(const DbProbe&) = delete;
  DbProbe& operator=(const DbProbe&) = delete;

  // "" on success, else the client's message.
  std::string Connect(const std::string& host, uint16_t port, const std::string& user,
                      const std::string& pass, const std::string& db);

  // First column of the first row as an integer; nullopt on error (see last_error()).
  std::optional<int64_t> Int(const std::string& sql);
  // All rows of a two-column integer result.
  std::optional<std::vector<std::pair<int64_t, int64_t>>> Pairs(const std::string& sql);
  const std::string& last_error() const { return error_; }

  // `text` as a quoted SQL string literal.
  std::string Quote(const std::string& text);

 private:
  st_mysql* db_ = nullptr;
  std::string error_;
};

}  // namespace mog::bench
