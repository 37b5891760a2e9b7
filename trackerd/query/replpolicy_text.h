// Validation of a class's replpolicy string as create_class/update_class do it: a policy
// class name (`[\w:]+`, prefixed MogileFS::ReplicationPolicy:: unless it has ':') that ships
// with 2.73, followed by its argument list.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mog::tracker {

// nullopt when valid, else the error text sent with invalid_replpolicy.
std::optional<std::string> ReplPolicyError(std::string_view policy);

}  // namespace mog::tracker
