// Query verbs -> handlers. Each themed file (file_commands.cpp, list_commands.cpp, ...) adds
// its verbs; the dispatcher runs one request line against the table.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "trackerd/query/query_context.h"

namespace mog::tracker {

using CommandResult = Result<ArgList>;
using CommandHandler = CommandResult (*)(QueryContext&);

class CommandTable {
 public:
  void Add(std::string verb, CommandHandler handler) { handlers_[std::move(verb)] = handler; }
  CommandHandler Find(std::string_view verb) const;
  const std::map<std::string, CommandHandler, std::less<>>& handlers() const { return handlers_; }

  // Every command of the 2.73 Query worker.
  static const CommandTable& Default();

 private:
  std::map<std::string, CommandHandler, std::less<>> handlers_;
};

void RegisterFileCommands(CommandTable& table);
void RegisterListCommands(CommandTable& table);
void RegisterPathCommands(CommandTable& table);
void RegisterDomainClassCommands(CommandTable& table);
void RegisterHostDeviceCommands(CommandTable& table);
void RegisterSettingsCommands(CommandTable& table);
void RegisterJobCommands(CommandTable& table);

// Runs one query line (verb + undecoded args) and returns the complete reply line with
// "\r\n". Never throws: handler exceptions become `ERR failure`, a duplicate-key Error that
// reached here becomes `ERR dup`.
std::string RunQuery(const CommandTable& table, Store& store, QueryServices& services,
                     const std::string& client_ip, std::string_view verb,
                     std::string_view raw_args);

}  // namespace mog::tracker
