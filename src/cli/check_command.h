// gatehouse check (CHECK.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/runtime.h"

namespace gh::cli {

struct CheckOptions {
  std::string trust, data, format, now, policies, input;
  bool jsonl = false;
  // --jsonl only: worker threads screening lines in parallel; the output keeps
  // the input's order. 0 = one per CPU this process may run on (its affinity
  // mask, so `taskset -c 0` means one).
  // Default: 0.
  int jobs = 0;
  // Images: look inside them (OCR, faces, metadata, logos); off = only check
  // that each media file exists, as before images were analysed.
  bool images = true;
  size_t image_max_bytes = 25u << 20;
  uint64_t image_max_pixels = 50'000'000;
};

// The number of CPUs this process may run on (sched_getaffinity), at least 1.
int AvailableCpus();

void AddCheckCommand(CLI::App& app, CheckOptions& options);
int RunCheck(const CheckOptions& options);

}  // namespace gh::cli
