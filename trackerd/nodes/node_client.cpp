#include "trackerd/nodes/node_client.h"

#include <stdexcept>

#include <boost/algorithm/string/predicate.hpp>

namespace mog::tracker {

std::string_view NodeFailureName(NodeFailure failure) {
  switch (failure) {
    case NodeFailure::kNone: return "none";
    case NodeFailure::kBadUrl: return "bad_url";
    case NodeFailure::kConnect: return "connect";
    case NodeFailure::kTimeout: return "timeout";
    case NodeFailure::kIo: return "io";
    case NodeFailure::kBadResponse: return "bad_response";
    case NodeFailure::kStatus: return "status";
  }
  return "unknown";
}

void throw_exception_from_error(const NodeError& e, const boost::source_location&) {
  throw std::runtime_error("node error: " + e.message);
}

void throw_exception_from_error(const CopyError& e, const boost::source_location&) {
  throw std::runtime_error(std::string("copy error (") + (e.source_side ? "source" : "dest") +
                           "): " + e.error.message);
}

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (boost::algorithm::iequals(key, name)) return value;
  }
  return {};
}

std::string_view DigestAlgName(DigestAlg alg) {
  return alg == DigestAlg::kMd5 ? "MD5" : "SHA-1";
}

std::optional<DigestAlg> ParseDigestAlg(std::string_view name) {
  if (name == "MD5") return DigestAlg::kMd5;
  if (name == "SHA-1") return DigestAlg::kSha1;
  return std::nullopt;
}

}  // namespace mog::tracker
