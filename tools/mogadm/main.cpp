// mogadm: the MogileFS admin tool (hosts, devices, domains, classes, settings, fsck, ...).
#include <iostream>

#include "tools/mogadm/mogadm.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return mog::mogadm::RunMogadm(args, std::cout, std::cerr,
                                mog::mogadm::MogadmEnvironment::FromProcess());
}
