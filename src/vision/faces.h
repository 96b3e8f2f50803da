// Faces: where the people in a photo are (OpenCV's Haar cascades from
// Debian's opencv-data; Debian ships no neural face model).
//
// One cascade alone finds faces in chessboards, cartoons and brickwork. A
// face counts only where two differently trained frontal cascades
// (haarcascade_frontalface_alt2 and _default) both find one (boxes
// overlapping by IoU >= 0.3): on OpenCV's own sample pictures that keeps
// every real face and drops every false one (docs/accuracy.md "Images").
//
// Not thread-safe (cv::CascadeClassifier keeps scratch); one per worker.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/result.h"
#include "vision/ocr.h"  // Box

namespace gh::vision {

// Where Debian's opencv-data installs the cascades.
inline constexpr char kDefaultCascadeDir[] = "/usr/share/opencv4/haarcascades";

class FaceDetector {
 public:
  static Result<std::unique_ptr<FaceDetector>> Create(const std::string& cascade_dir);
  ~FaceDetector();
  FaceDetector(const FaceDetector&) = delete;
  FaceDetector& operator=(const FaceDetector&) = delete;

  // Faces in an 8-bit BGR or grey image, largest first, in its pixels.
  std::vector<Box> Detect(const cv::Mat& image, uint32_t max_side);

 private:
  struct Impl;
  explicit FaceDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

double IoU(const Box& a, const Box& b);

}  // namespace gh::vision
