// Status: the outcome of an operation that can fail, as a value.
//
// A Status is either OK or carries a code and a message. The message is meant
// for the person who supplied the bad input: it names the file, line or field
// ("pupils.csv:14: date_of_birth: '2008-13-01' is not a date (YYYY-MM-DD)").
// Exceptions thrown by third-party parsers are caught where the parser is
// called and turned into a Status; none crosses a module boundary.
//
// Thread-safety: a Status is an immutable value; copies are independent.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace gh {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // the caller's input is malformed (exit 2, HTTP 400)
    kNotFound,         // a named thing (file, trust, id) does not exist
    kFailedPrecondition,
    kInternal,           // a bug or an environment failure; never the client's fault
    kConflict,           // a stale version or a duplicate key (HTTP 409)
    kUnauthenticated,    // no valid session or token (HTTP 401)
    kPermissionDenied,   // authenticated, but the role may not do this (HTTP 403)
    kResourceExhausted,  // too many attempts or too large a request (HTTP 429/413)
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) {
    return {Code::kFailedPrecondition, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) {
    return {Code::kUnauthenticated, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>", so callers can add
  // the file or field they were working on as the error travels up.
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    return Status(code_, std::string(context) + ": " + message_);
  }

  std::string ToString() const { return ok() ? std::string("OK") : message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace gh

// Early return on error: GH_RETURN_IF_ERROR(LoadThing(x));
#define GH_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::gh::Status gh_status_ = (expr);        \
    if (!gh_status_.ok()) return gh_status_; \
  } while (0)
