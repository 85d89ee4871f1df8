// SPDX-License-Identifier: Apache-2.0
#include "scheduler/unit_scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "checks/checks.h"
#include "probers/file_expander.h"
#include "scheduler/endpoint_scanner.h"
#include "x509/crl.h"
#include "x509/reader.h"

namespace certvigil::scheduler {
namespace fs = std::filesystem;

namespace {

std::string policySignature(const Policy& policy) {
  const Thresholds& t = policy.thresholds;
  return std::to_string(t.warning.count()) + "|" + std::to_string(t.critical.count()) + "|" +
         std::to_string(t.warning_fraction) + "|" + std::to_string(t.critical_fraction) + "|" +
         std::to_string(policy.clients.bits());
}

// FNV-1a over every file name and stat of the unit: leaves completed by an intermediate in
// another file are read again when this changes.
uint64_t filesDigest(const probers::Expansion& expansion) {
  uint64_t digest = 1469598103934665603ULL;
  auto mix = [&digest](const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      digest ^= bytes[i];
      digest *= 1099511628211ULL;
    }
  };
  for (size_t i = 0; i < expansion.files.size(); ++i) {
    const std::string& name = expansion.files[i];
    const probers::FileStat& st = expansion.stats[i];
    mix(name.data(), name.size() + 1);  // with the terminating NUL as a separator
    mix(&st.inode, sizeof st.inode);
    mix(&st.size, sizeof st.size);
    mix(&st.mtime_ns, sizeof st.mtime_ns);
  }
  return digest;
}

}  // namespace

UnitScanner::Inputs UnitScanner::prepareInputs(const ScanContext& context) const {
  const FileUnitInputs& in = unit_.files.get();
  const probers::FileInputSources sources{unit_.kind,       unit_.role, in.key,
                                          in.password_file, in.chain,   in.crl_files,
                                          in.hostname,      in.issuers, in.used_by};
  return probers::loadFileInputs(sources, context.certificates, context.trust);
}

namespace {

// A file that holds only private keys is a key file, not a certificate target.
bool isKeyFile(const Observation& obs) {
  return obs.certificates.empty() && obs.problems.empty() && obs.private_key_blocks > 0;
}

/// The targets of one file, but not a file of private keys only.
template <typename FileResults>
void addTargets(const FileResults& file, std::vector<TargetResultPtr>& results) {
  for (size_t i = 0; i < file.size(); ++i) {
    if (!isKeyFile(file[i]->observation)) results.push_back(file[i]);
  }
}

Observation expansionProblem(const probers::ExpansionProblem& problem, const ScanUnit& unit,
                             const Clock& clock) {
  Observation obs;
  obs.target = problem.path.string();
  obs.kind = unit.kind;
  obs.role = unit.role;
  obs.problems.push_back(probers::readProblem(problem.detail));
  obs.success = false;
  obs.collected_at = clock.now();
  return obs;
}

}  // namespace

void replaceInPlace(UnitOutcome& kept, UnitOutcome fresh) {
  // Copy assignments: a vector copied into one large enough keeps its buffer, and `fresh`'s
  // own is freed with it.
  kept.scan = fresh.scan;
  kept.results.assign(fresh.results.begin(), fresh.results.end());
  kept.files_read = fresh.files_read;
}

UnitOutcome UnitScanner::scan(const ScanContext& shared) {
  const Policy policy = unitPolicy(unit_, shared.policy);
  const ScanContext context{shared.certificates, shared.verdicts,  shared.trust, policy,
                            shared.clock,        shared.revocation};
  return scanFiles(context);
}

UnitOutcome UnitScanner::scanFiles(const ScanContext& context) {
  const auto start = std::chrono::steady_clock::now();
  UnitOutcome out;
  out.scan.unit = unit_.name;
  out.scan.kind = unit_.kind;
  out.scan.started_at = context.clock.now();
  const Inputs inputs = prepareInputs(context);
  const probers::Expansion expansion = probers::expandPattern(unit_.name);

  ++scan_count_;
  std::vector<Work> work = planWork(expansion, inputs, context, out.results);
  runInParallel(work, inputs, context);
  completeFromSiblings(work, out.results, context);
  out.files_read = absorbWork(work, out.results);
  for (const auto& problem : expansion.problems) {
    Validity validity;
    out.results.push_back(
        judge(expansionProblem(problem, unit_, context.clock), context, validity));
  }
  std::sort(out.results.begin(), out.results.end(), [](const auto& a, const auto& b) {
    return a->observation.target < b->observation.target;
  });
  // Forget files that are gone so the cache does not grow without bound.
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.seen_scan != scan_count_; });

  size_t succeeded = 0;
  for (const auto& r : out.results) succeeded += r->observation.success ? 1 : 0;
  out.scan.targets = out.results.size();
  out.scan.skipped_symlink_loops = expansion.skipped_symlink_loops;
  out.scan.success = succeeded > 0 || (expansion.problems.empty() && expansion.files.empty());
  out.scan.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<UnitScanner::Work> UnitScanner::planWork(const probers::Expansion& expansion,
                                                     const Inputs& inputs,
                                                     const ScanContext& context,
                                                     std::vector<TargetResultPtr>& results) {
  // A change of the inputs every file shares (trust, key, password, chain, CRLs) means every
  // file is read again; comparing them once per scan keeps the per-file check to a stat().
  if (inputs.signature != inputs_signature_) {
    cache_.clear();
    inputs_signature_ = inputs.signature;
  }
  // New thresholds or acme: entries (a reload) change findings without any file changing: judge
  // every cached result again now instead of at its horizon.
  std::string policy = policySignature(context.policy);
  if (context.revocation) policy += "|acme" + std::to_string(context.revocation->acmeGeneration());
  if (policy != policy_signature_) {
    for (auto& [path, cached] : cache_) cached.validity = {};
    policy_signature_ = policy;
  }
  const TimePoint now = context.clock.now();
  files_digest_ = filesDigest(expansion);
  cache_.reserve(expansion.files.size());
  std::vector<Work> work;
  work.reserve(expansion.files.size());
  for (size_t i = 0; i < expansion.files.size(); ++i) {
    const std::string& path = expansion.files[i];
    const probers::FileStat& stat = expansion.stats[i];
    Cached& cached = cache_[path];
    cached.seen_scan = scan_count_;
    const bool siblings_changed = cached.sibling_dependent && cached.files_digest != files_digest_;
    if (!cached.results.empty() && cached.stat == stat && !siblings_changed) {
      if (cached.validity.holdsAt(now)) {
        addTargets(cached.results, results);
      } else {
        work.push_back({&path, stat, cached.results, {}, {}, cached.sibling_dependent});
      }
      continue;
    }
    work.push_back({&path, stat, {}, {}, {}, false});
  }
  return work;
}

void UnitScanner::runInParallel(std::vector<Work>& work, const Inputs& inputs,
                                const ScanContext& context) const {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++) runOne(work[i], inputs, context);
  };
  // Reading and decoding is CPU-bound; small batches are not worth a thread.
  const size_t threads =
      work.size() < 64 ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

void UnitScanner::runOne(Work& item, const Inputs& inputs, const ScanContext& context) const {
  // An unchanged file whose findings may have changed with time is judged again from what was
  // read; unless a certificate of its path crossed a validity bound since its chain was built:
  // clients may now build another path (a cross-sign, a renewed root), so read it again.
  const TimePoint now = context.clock.now();
  bool paths_hold = !item.previous.empty();
  for (size_t i = 0; i < item.previous.size(); ++i) {
    paths_hold = paths_hold && item.previous[i]->observation.chain.holdsAt(now);
  }
  std::vector<Observation> observations;
  if (paths_hold) {
    for (size_t i = 0; i < item.previous.size(); ++i) {
      observations.push_back(item.previous[i]->observation);
    }
  } else {
    probers::FileSpec spec = inputs.spec;
    spec.path = *item.path;
    const probers::FileProber prober(context.certificates, context.verdicts, context.trust);
    observations = prober.probeAll(spec, context.clock);
    for (Observation& obs : observations) {
      obs.problems.insert(obs.problems.end(), inputs.problems.begin(), inputs.problems.end());
    }
  }
  item.results = judgeAll(std::move(observations), context, item.validity);
}

size_t UnitScanner::absorbWork(std::vector<Work>& work, std::vector<TargetResultPtr>& results) {
  size_t files_read = 0;
  for (auto& item : work) {
    files_read += item.previous.empty() ? 1 : 0;
    Cached& cached = cache_[*item.path];
    cached.stat = item.stat;
    cached.results = item.results;
    cached.validity = item.validity;
    cached.sibling_dependent = item.sibling_dependent;
    cached.files_digest = files_digest_;
    addTargets(item.results, results);
  }
  return files_read;
}

// The checks say when their findings may change (checks::nextChange, one horizon per check in
// the check table); the hour cap is the scheduler's own.
TimePoint judgementHorizon(const Observation& obs, const Policy& policy, TimePoint now) {
  return std::min(checks::nextChange(obs, policy, now), now + Seconds{3600});
}

TargetResultPtr UnitScanner::judge(Observation obs, const ScanContext& context,
                                   Validity& validity) const {
  if (context.revocation) context.revocation->annotate(obs, unit_.revocation);
  const TimePoint now = context.clock.now();
  validity = {now, judgementHorizon(obs, context.policy, now)};
  return judgeObservation(std::move(obs), unit_.name, context);
}

UnitScanner::Results UnitScanner::judgeAll(std::vector<Observation> observations,
                                           const ScanContext& context, Validity& validity) const {
  Results results;
  validity = {context.clock.now(), TimePoint::max()};
  for (Observation& obs : observations) {
    Validity one;
    results.add(judge(std::move(obs), context, one));
    validity.horizon = std::min(validity.horizon, one.horizon);
  }
  return results;
}

}  // namespace certvigil::scheduler
