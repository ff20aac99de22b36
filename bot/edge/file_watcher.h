// FileWatcher: calls back once when YAML files in some directories change,
// after the changes have settled (debounced), so `bot serve` reloads an edit
// within a second of the save. Uses inotify on the directories themselves, so
// editors that save by writing a temporary file and renaming it over the
// original (vim, VS Code, JetBrains, `sed -i`) are seen like in-place writes,
// and so is a Kubernetes ConfigMap update (the `..data` symlink swap).
// Hidden and non-YAML files (swap files, backups) are ignored. A watched
// directory that disappears is watched again when it comes back.
// Start/Stop from one thread; the callback runs on the watcher's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bot/core/status.h"

namespace bot::edge {

class FileWatcher {
 public:
  // `on_change` runs on the watcher thread, never concurrently with itself,
  // `debounce` after the last relevant event of a burst.
  FileWatcher(std::vector<std::string> dirs, std::chrono::milliseconds debounce,
              std::function<void()> on_change);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Watches every directory and starts the thread. IoError when inotify is
  // unavailable or a directory cannot be watched.
  core::Status Start();
  // Stops the thread (a pending, not yet fired change is dropped).
  void Stop();

  // How many times on_change has been called.
  size_t fired() const { return fired_; }

  // Whether a change to `name` (a file name inside a watched directory)
  // should trigger: *.yaml / *.yml not starting with '.', or `..data`.
  static bool Relevant(const std::string& name);

 private:
  void Run();
  bool AddWatches();

  std::vector<std::string> dirs_;
  std::chrono::milliseconds debounce_;
  std::function<void()> on_change_;
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd
  std::vector<int> watches_;  // per dir; -1 when not watched
  std::thread thread_;
  std::atomic<size_t> fired_{0};
};

}  // namespace bot::edge
