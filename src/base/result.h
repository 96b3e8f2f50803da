// Result<T>: a value or the Status explaining why there is none.
//
// Shaped like C++23 std::expected (g++ 12 lacks it under C++20): ok(),
// value(), operator*, operator->, status(). Accessing the value of a failed
// Result is a bug and aborts in debug builds.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

#include "base/status.h"

namespace gh {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace gh

// GH_ASSIGN_OR_RETURN(auto x, MakeX()); declares x or returns the error.
#define GH_CONCAT_INNER(a, b) a##b
#define GH_CONCAT(a, b) GH_CONCAT_INNER(a, b)
#define GH_ASSIGN_OR_RETURN(decl, expr) \
  GH_ASSIGN_OR_RETURN_IMPL(GH_CONCAT(gh_result_, __LINE__), decl, expr)
#define GH_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  decl = std::move(tmp).value()
