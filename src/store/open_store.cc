// OpenStore: picks the backend from the location's form.
#include <filesystem>
#include <system_error>

#include "base/strings.h"
#include "store/common.h"
#include "store/store.h"

namespace gh::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  if (location.empty()) {
    return Status::InvalidArgument(
        "no store location: give a SQLite file path, a postgres:// URL or :memory:");
  }
  if (StartsWith(location, "postgres://") || StartsWith(location, "postgresql://")) {
    return OpenSqlStore([location] { return OpenPgConn(location); }, "postgres");
  }
  if (location == ":memory:") return NewMemoryStore();

  // A SQLite file, created if absent; its folder must exist.
  const std::filesystem::path path(location);
  std::error_code ec;
  if (path.has_parent_path() && !std::filesystem::is_directory(path.parent_path(), ec)) {
    return Status::FailedPrecondition("cannot open SQLite database '" + location + "': folder '" +
                                      path.parent_path().string() + "' does not exist");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::FailedPrecondition("cannot open SQLite database '" + location +
                                      "': it is a folder");
  }
  return OpenSqlStore([location] { return OpenSqliteConn(location); }, "sqlite");
}

}  // namespace gh::store
