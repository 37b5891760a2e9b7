#include "bench/load/target_source.h"

#include <boost/url/parse.hpp>
#include <fstream>
#include <stdexcept>

#include "common/fid/fid_path.h"

namespace mog::bench {

Target ParseHttpUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw std::invalid_argument("not an absolute URL: " + std::string(url));
  if (parsed->scheme() != "http") {
    throw std::invalid_argument("only http:// URLs are supported: " + std::string(url));
  }
  if (parsed->encoded_host().empty()) {
    throw std::invalid_argument("URL has no host: " + std::string(url));
  }
  Target target;
  target.host = std::string(parsed->encoded_host());
  if (parsed->has_port()) {
    if (parsed->port_number() == 0) {
      throw std::invalid_argument("bad port in URL: " + std::string(url));
    }
    target.port = parsed->port_number();
  }
  target.path = std::string(parsed->encoded_path());
  if (target.path.empty()) target.path = "/";
  if (parsed->has_query()) target.path += "?" + std::string(parsed->encoded_query());
  return target;
}

std::string ExpandPathTemplate(std::string_view path_template, uint64_t n) {
  std::string out;
  out.reserve(path_template.size() + 24);
  while (!path_template.empty()) {
    if (path_template.starts_with("{n}")) {
      out += std::to_string(n);
      path_template.remove_prefix(3);
    } else if (path_template.starts_with("{fid}")) {
      // FormatFidPath(0, n) = "/dev0/b/mmm/ttt/N.fid": keep what follows the device.
      std::string full = FormatFidPath(0, n);
      out += full.substr(std::string_view("/dev0/").size());
      path_template.remove_prefix(5);
    } else {
      out += path_template.front();
      path_template.remove_prefix(1);
    }
  }
  return out;
}

TargetSource TargetSource::FromUrlFile(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open URL list " + file);
  TargetSource source;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    try {
      source.list_.push_back(ParseHttpUrl(std::string_view(line).substr(first)));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(file + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  if (source.list_.empty()) throw std::runtime_error("URL list " + file + " has no URLs");
  return source;
}

TargetSource TargetSource::FromUrls(const std::vector<std::string>& urls) {
  TargetSource source;
  for (const auto& url : urls) source.list_.push_back(ParseHttpUrl(url));
  if (source.list_.empty()) throw std::runtime_error("no URLs");
  return source;
}

TargetSource TargetSource::FromTemplate(std::string host, uint16_t port,
                                        std::string path_template, uint64_t start,
                                        uint64_t count) {
  if (path_template.empty() || path_template.front() != '/') {
    throw std::runtime_error("path template must start with '/': " + path_template);
  }
  TargetSource source;
  source.base_.host = std::move(host);
  source.base_.port = port;
  source.template_ = std::move(path_template);
  source.start_ = start;
  source.count_ = count;
  return source;
}

Target TargetSource::At(uint64_t seq) const {
  if (!list_.empty()) return list_[seq % list_.size()];
  Target target = base_;
  target.path = ExpandPathTemplate(template_, start_ + (count_ ? seq % count_ : seq));
  return target;
}

}  // namespace mog::bench
