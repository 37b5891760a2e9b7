// mogadm domain ... and class ...
#include "tools/mogadm/formats.h"
#include "tools/mogadm/mogadm_runner.h"
#include "tools/mogadm/texts.h"

namespace mog::mogadm {
namespace {

bool PerlTrue(const std::string& v) { return !v.empty() && v != "0"; }

std::string Arg(const CommandArgs& args, const std::string& name) {
  auto it = args.find(name);
  return it == args.end() ? std::string() : it->second;
}

}  // namespace

void DomainClassCommand(Runner& r, const std::string& verb, CommandArgs& args) {
  if (verb == "list") {  // domain list and class list print the same table
    auto domains = r.NewAdmin().GetDomains();
    if (!domains) r.FailText(kNoDomains);
    r.out() << FormatDomainList(*domains);
    r.Ok();
  }
  const std::string domain = Arg(args, "domain");
  if (r.topcmd == "domain") {
    if (verb == "add") {
      auto created = r.NewAdmin().CreateDomain(domain);
      if (!created) r.FailWith("Error creating domain: ", created.error());
      r.Ok("Domain created.");
    }
    if (verb == "delete") {
      auto deleted = r.NewAdmin().DeleteDomain(domain);
      if (!deleted) r.FailWith("Error deleting domain: ", deleted.error(), {.domain = domain});
      r.Ok("Domain deleted.");
    }
    return;
  }
  const std::string klass = Arg(args, "class");
  if (!PerlTrue(domain) || !PerlTrue(klass)) r.HelpDie();
  if (verb == "add" || verb == "modify") {
    // Upstream turns --mindevcount=0 (Perl-false) into 2 without a word.
    if (args.count("mindevcount") && Arg(args, "mindevcount") != "" &&
        client::PerlInt(Arg(args, "mindevcount")) < 1) {
      r.Fail("Invalid --mindevcount '" + Arg(args, "mindevcount") +
             "': a class needs at least 1 copy");
    }
    // Upstream always sends both, so an omitted --mindevcount on modify resets it to 2.
    mog::ArgList extra{
        {"mindevcount", PerlTrue(Arg(args, "mindevcount")) ? Arg(args, "mindevcount") : "2"},
        {"replpolicy", PerlTrue(Arg(args, "replpolicy")) ? Arg(args, "replpolicy") : ""}};
    if (args.count("hashtype")) extra.emplace_back("hashtype", args["hashtype"]);
    const bool add = verb == "add";
    auto done = r.NewAdmin().ModifyClass(add ? "create" : "update", domain, klass, extra);
    if (!done) {
      r.FailWith(add ? "Error creating class: " : "Error updating class: ", done.error(),
                 {.domain = domain, .klass = klass});
    }
    r.Ok(add ? "Class created." : "Class updated.");
  }
  if (verb == "delete") {
    auto deleted = r.NewAdmin().DeleteClass(domain, klass);
    if (!deleted) {
      r.FailWith("Error deleting class: ", deleted.error(), {.domain = domain, .klass = klass});
    }
    r.Ok("Class deleted.");
  }
}

}  // namespace mog::mogadm
