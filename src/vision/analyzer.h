// Analyzer: everything Gatehouse learns from one image, once: its format and
// size, its metadata, the words in it with their boxes, the faces, and any
// registered logo. The engine screens the words like any other text and
// judges the faces, metadata and logos with the pack's rules.
//
// Thread-safe: Analyze borrows a worker (a Tesseract engine and two face
// cascades, which are not thread-safe) from a pool that grows up to
// `max_workers`, so `gatehouse check --jobs N` and the server's threads
// never share one, and memory stays bounded however many callers there are.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "vision/faces.h"
#include "vision/image.h"
#include "vision/logos.h"
#include "vision/metadata.h"
#include "vision/ocr.h"

namespace gh::vision {

struct ImageReport {
  ImageInfo info;
  Metadata metadata;
  // Why the pixels were not looked at ("" when they were): a format this
  // build cannot decode. Metadata is still read.
  std::string not_analysed;
  OcrResult ocr;
  std::vector<Box> faces;
  std::vector<LogoHit> logos;
  double millis = 0;  // time taken

  // The box around the words overlapping bytes [from, to) of ocr.text.
  std::optional<Box> BoxOf(uint32_t from, uint32_t to) const;
};

nlohmann::json ToJson(const ImageReport& r);
// The inverse of ToJson (reports kept with a draft post); errors name the field.
Result<ImageReport> ReportFromJson(const nlohmann::json& j);

struct AnalyzerOptions {
  Limits limits;
  std::string tessdata;  // "" = Tesseract's default
  std::string cascade_dir = kDefaultCascadeDir;
  bool ocr = true, faces = true;
  float min_ocr_confidence = 60;
  // At most this many images are analysed at once (each worker holds a
  // Tesseract model, about 50 MB); further callers wait. 0 = one per CPU.
  int max_workers = 0;
};

class Analyzer {
 public:
  // Loads one worker now, so a missing model fails at start with its path.
  static Result<std::shared_ptr<Analyzer>> Create(AnalyzerOptions options);
  ~Analyzer();

  const AnalyzerOptions& options() const { return options_; }

  // Analyses encoded image bytes. A bad image (not an image, truncated, over
  // the limits, undecodable) is InvalidArgument with a message that follows
  // a field name ("is truncated (...)"). `logos` may be null.
  Result<ImageReport> Analyze(std::string_view bytes, const LogoLibrary* logos) const;

 private:
  struct Worker;
  explicit Analyzer(AnalyzerOptions options);
  Result<std::unique_ptr<Worker>> NewWorker() const;

  AnalyzerOptions options_;
  mutable std::mutex mu_;
  mutable std::condition_variable freed_;
  mutable std::vector<std::unique_ptr<Worker>> idle_;
  mutable int workers_ = 0;  // created so far (idle or lent)
};

// An Analyzer started by the first caller that needs one: loading
// Tesseract's model takes a moment that text-only work need not pay.
// Thread-safe; a failure to start is kept and returned to every caller.
class LazyAnalyzer {
 public:
  explicit LazyAnalyzer(AnalyzerOptions options) : options_(std::move(options)) {}
  const AnalyzerOptions& options() const { return options_; }
  Result<const Analyzer*> Get();

 private:
  AnalyzerOptions options_;
  std::once_flag once_;
  std::shared_ptr<Analyzer> analyzer_;
  Status error_;
};

}  // namespace gh::vision
