#include "storaged/http/delete_handler.h"

#include <cstring>

namespace mog::storage::http {

Outcome HandleDelete(const Docroot& docroot, const RequestHead& request) {
  auto target = ParseDeleteTarget(request.target);
  if (auto* refusal = std::get_if<Refusal>(&target)) {
    return Outcome{refusal->status, refusal->message};
  }
  auto path = Docroot::Parse(std::get<std::string>(target));
  if (!path.ok()) {
    if (path.failure.kind == PathError::kNotDevice) return Outcome{404, ""};
    return Outcome{400, "Invalid filename"};
  }
  if (path.value->parts.empty()) return Outcome{400, std::strerror(EISDIR)};  // dev<N> itself
  auto removed = docroot.Unlink(*path.value);
  if (removed.ok()) return Outcome{204, ""};
  switch (removed.failure.kind) {
    case PathError::kNotFound:
    case PathError::kNotDevice:
      return Outcome{404, ""};
    case PathError::kEscape:
      return Outcome{403, ""};
    default:
      return Outcome{400, std::strerror(removed.failure.err)};
  }
}

}  // namespace mog::storage::http
