#include "tests/integration/tools/tool_runner.h"

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace mog::test {

ToolRun RunTool(const std::string& tool, const std::vector<std::string>& args,
                const std::string& stdin_data) {
  std::vector<std::string> argv = {BinPath(tool)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunArgv(argv, stdin_data);
}

ToolRun RunArgv(const std::vector<std::string>& command, const std::string& stdin_data) {
  TempDir dir("toolrun");
  const std::string err_path = dir.Sub("stderr");
  // stdin comes from a file: RunCommand's pipe write end leaks into the child, so the tool
  // would never see EOF on it.
  const std::string in_path = dir.Sub("stdin");
  WriteFile(in_path, stdin_data);
  // The shell only redirects and isolates config lookups; arguments pass untouched.
  const std::string script = "HOME='" + dir.path() + "' MOG_SYSTEM_CONF='" + dir.Sub("none") +
                             "' MOGUTILSCONF= exec \"$0\" \"$@\" 2>'" + err_path + "' <'" +
                             in_path + "'";
  std::vector<std::string> argv = {"/bin/sh", "-c", script};
  argv.insert(argv.end(), command.begin(), command.end());
  CommandResult result = RunCommand(argv, std::chrono::seconds(60));
  ToolRun run;
  run.code = result.exit_code;
  run.out = result.output;
  run.err = ReadFileOrEmpty(err_path);
  return run;
}

}  // namespace mog::test
