// OCR: the words in an image, with where each one is (Tesseract, LSTM engine,
// English data from Debian's tesseract-ocr-eng).
//
// Photos of certificates are rarely square to the camera, so the page's skew
// is estimated first (the angle whose horizontal projection of ink is
// sharpest) and the image turned upright before recognition; boxes are mapped
// back onto the original image.
//
// One Ocr is not thread-safe (Tesseract's engine is not); the Analyzer keeps
// one per worker.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/result.h"

namespace gh::vision {

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};
Box Union(const Box& a, const Box& b);

struct OcrWord {
  std::string text;           // UTF-8 as recognised
  uint32_t from = 0, to = 0;  // bytes in OcrResult::text
  Box box;                    // in the original image's pixels
  float confidence = 0;       // 0..100
};

struct OcrResult {
  // The confident words joined: words by a space, lines by a newline. This
  // is the text the engine screens, so a name split over two words stays a
  // name and two lines never join into one word.
  std::string text;
  std::vector<OcrWord> words;
  double skew_deg = 0;  // the rotation applied before recognition
};

class Ocr {
 public:
  // `tessdata` empty = Tesseract's compiled-in default
  // (/usr/share/tesseract-ocr/5/tessdata); `min_confidence` drops the
  // guesses Tesseract makes on textures and faces.
  static Result<std::unique_ptr<Ocr>> Create(const std::string& tessdata,
                                             float min_confidence = 60.0f);
  ~Ocr();
  Ocr(const Ocr&) = delete;
  Ocr& operator=(const Ocr&) = delete;

  // `bgr`: 8-bit BGR or grey, any size (scaled within max_side first).
  Result<OcrResult> Read(const cv::Mat& bgr, uint32_t max_side);

 private:
  struct Impl;
  explicit Ocr(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The page's skew in degrees (positive = the text rises to the right, as
// OpenCV's rotation angle), searched in [-max_deg, max_deg]; 0 when no
// angle is clearly better than upright. Exposed for tests.
double EstimateSkew(const cv::Mat& grey, double max_deg = 30.0);

}  // namespace gh::vision
