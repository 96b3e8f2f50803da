// gatehouse model train | info | score: the trained text classifier
// (src/classify, docs/decisions/0011-trained-classifier.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gh::cli {

struct ModelOptions {
  std::string action;  // train, info, score
  std::string policies;
  std::string eval_dir;  // train: ../shared/eval
  std::string corpus;    // train: policies/common/models/corpus
  std::string out;       // train: where the model goes; info/score: which model
  int epochs = 6;
  // The defaults are the committed model's settings (docs/accuracy.md,
  // "The text classifier"): `gatehouse model train` alone rebuilds it.
  int bucket_bits = 17;
  float corpus_weight = 10.0f;          // a clean corpus post
  float corpus_positive_weight = 2.0f;  // a labelled one
  bool balance = true;
  float l2 = 1e-7f;
  float learning_rate = 0.5f;
  int char_min = 4, char_max = 5;
  int norm_floor = 300;
  std::vector<std::string> texts;  // score
};

void AddModelCommand(CLI::App& app, ModelOptions& options);
int RunModel(const ModelOptions& options);

}  // namespace gh::cli
