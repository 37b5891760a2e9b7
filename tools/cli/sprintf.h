// printf into a std::string: the tools reproduce upstream's Perl printf formats verbatim.
#pragma once

#include <string>

namespace mog::cli {

std::string Sprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace mog::cli
