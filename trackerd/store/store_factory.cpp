// The one place that maps a DSN to a Store implementation. An embedded store (DBI:SQLite:)
// would be added here without touching any caller.
#include <utility>

#include "trackerd/store/mysql_store.h"
#include "trackerd/store/store.h"

namespace mog::tracker {
namespace {

class MySqlStoreFactory : public StoreFactory {
 public:
  explicit MySqlStoreFactory(MySqlConnectParams params) : params_(std::move(params)) {}

  Result<std::unique_ptr<Store>> Create() override {
    auto store = MySqlStore::Open(params_);
    if (!store) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
  }

 private:
  MySqlConnectParams params_;
};

}  // namespace

Result<std::unique_ptr<StoreFactory>> MakeStoreFactory(const StoreOptions& options) {
  // ParamsFromOptions rejects drivers other than mysql with a message naming the DSN.
  auto params = MySqlStore::ParamsFromOptions(options);
  if (!params) return params.error();
  return std::unique_ptr<StoreFactory>(new MySqlStoreFactory(std::move(*params)));
}

}  // namespace mog::tracker
