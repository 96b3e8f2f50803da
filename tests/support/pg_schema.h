// Test isolation on one PostgreSQL server: each test gets its own schema,
// named uniquely, and a URL whose every connection lands in it. Used by the
// store, server and multi-process tests.
#pragma once

#include <unistd.h>

#include <atomic>
#include <random>
#include <string>
#include <string_view>

namespace gh::testsupport {

// prefix + pid + counter + random: unique across parallel test processes.
inline std::string UniqueName(std::string_view prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::string(prefix) + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 1000000);
}

// The URL with "options=-c search_path=<schema>" added.
inline std::string WithSchema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

}  // namespace gh::testsupport
