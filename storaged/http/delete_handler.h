// DELETE: 204 when unlinked, 404 when missing, 400 with the errno text otherwise ("Is a
// directory"), as Perlbal answers; only files below dev<N> can be removed.
#pragma once

#include "storaged/docroot/docroot.h"
#include "storaged/http/put_handler.h"
#include "storaged/http/request_head.h"

namespace mog::storage::http {

Outcome HandleDelete(const Docroot& docroot, const RequestHead& request);

}  // namespace mog::storage::http
