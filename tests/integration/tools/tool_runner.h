// Runs one of the built tool binaries (build/bin) as a real process, with stdout and stderr
// captured apart and config files isolated (HOME and the system file point at a temp dir).
#pragma once

#include <string>
#include <vector>

namespace mog::test {

struct ToolRun {
  int code = -1;
  std::string out;
  std::string err;
};

ToolRun RunTool(const std::string& tool, const std::vector<std::string>& args,
                const std::string& stdin_data = {});
// The same for any command line (argv[0] a path), e.g. upstream's Perl tools.
ToolRun RunArgv(const std::vector<std::string>& argv, const std::string& stdin_data = {});

}  // namespace mog::test
