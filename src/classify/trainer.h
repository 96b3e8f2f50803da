// Trainer: fits a LinearModel by logistic regression with AdaGrad, one head
// per category, deterministically (a fixed seed, one thread): the same data
// and config give the same model file byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "classify/linear_model.h"

namespace gh::classify {

struct Example {
  std::string text;  // normalised, as the engine will score it
  // Per head: 1 positive, 0 negative, -1 unknown (the head does not learn from
  // this example).
  std::array<int8_t, LinearModel::kMaxHeads> label{};
  float weight = 1.0f;
};

struct TrainConfig {
  FeatureConfig features;
  int epochs = 6;
  float learning_rate = 0.5f;
  float l2 = 1e-7f;
  uint64_t seed = 20261122;
};

// Whether a labelled text belongs to the validation part of a data set: one
// in five, chosen by a hash of the text (stable across runs, machines and
// tools; bench/peers/run.mjs computes the same). The committed model never
// sees these rows, so the figures measured on them are honest.
bool IsValidationText(std::string_view text);

LinearModel Train(const std::vector<Example>& examples, const std::vector<std::string>& heads,
                  const TrainConfig& config, std::string manifest);

}  // namespace gh::classify
