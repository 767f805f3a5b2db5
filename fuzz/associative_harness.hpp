// fuzz/associative_harness.hpp — the differential harness for the associative families, shared
// by fuzz_unordered.cpp and fuzz_ordered.cpp: operations decoded from the fuzzer's bytes run on
// three tracked containers (a and b share a counting upstream, d has its own) and on their std
// twins, and every step is checked (fuzz_common.hpp says what).
#pragma once

#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fuzz {

template <class T>
using counting = lwtest::counting_allocator<T>;

template <class C, class = void>
struct has_mapped : std::false_type {};
template <class C>
struct has_mapped<C, std::void_t<typename C::mapped_type>> : std::true_type {};
template <class C, class = void>
struct has_hasher : std::false_type {};
template <class C>
struct has_hasher<C, std::void_t<typename C::hasher>> : std::true_type {};
template <class C, class = void>
struct has_unique_keys : std::false_type {};
template <class C>
struct has_unique_keys<C, std::void_t<typename C::insert_return_type>> : std::true_type {};

using content = std::vector<std::pair<int, int>>;

inline int key_of(int k) { return k; }
inline int key_of(const std::pair<const int, int>& p) { return p.first; }
inline int mapped_of(int) { return 0; }
inline int mapped_of(const std::pair<const int, int>& p) { return p.second; }

inline std::string describe(const content& c) {
    std::string out = "{";
    for (const auto& e : c) out += " " + std::to_string(e.first) + ":" + std::to_string(e.second);
    return out + " }";
}

// Tracked: the tracked container under test; Twin: its std twin (std::allocator).
template <class Tracked, class Twin>
class associative_harness {
    static constexpr bool is_map = has_mapped<Twin>::value;
    static constexpr bool is_unordered = has_hasher<Twin>::value;
    static constexpr bool is_unique = has_unique_keys<Twin>::value;
    using value_type = typename Twin::value_type;
    using allocator = typename Tracked::allocator_type;

public:
    explicit associative_harness(input& in) : in_(in) {
        a_.emplace(allocator(&shared_));
        b_.emplace(allocator(&shared_));
        d_.emplace(allocator(&solo_));
    }

    void run() {
        for (int step = 0; step < 128 && !in_.done(); ++step) {
            const int op = in_.below(24);
            apply(op);
            check(op);
        }
    }

private:
    template <class C>
    static content contents_of(const C& c) {
        content out;
        for (const auto& v : c) out.emplace_back(key_of(v), mapped_of(v));
        // Unordered: any order. Ordered: the order itself is part of the contract.
        if (is_unordered) std::sort(out.begin(), out.end());
        return out;
    }

    static value_type make(int key, int mapped) {
        if constexpr (is_map) return value_type(key, mapped);
        else {
            (void)mapped;
            return key;
        }
    }

    // The node handle holds memory charged to a or b: drop it before either is rebuilt.
    void drop_node() {
        node_.reset();
        twin_node_.reset();
    }

    void apply(int op) {
        const int which = in_.below(3);
        Tracked& c = which == 0 ? *a_ : which == 1 ? *b_ : *d_;
        Twin& t = which == 0 ? ta_ : which == 1 ? tb_ : td_;
        const int key = in_.key();
        const int mapped = in_.key();
        switch (op) {
            case 0: {
                c.insert(make(key, mapped));
                t.insert(make(key, mapped));
                break;
            }
            case 1: {
                if constexpr (is_map) {
                    c.emplace(key, mapped);
                    t.emplace(key, mapped);
                } else {
                    c.emplace(key);
                    t.emplace(key);
                }
                break;
            }
            case 2: {
                FUZZ_CHECK(c.erase(key) == t.erase(key), "erase(key) count");
                break;
            }
            case 3: {
                auto it = c.find(key);
                auto tit = t.find(key);
                FUZZ_CHECK((it == c.end()) == (tit == t.end()), "find");
                if (it != c.end()) {
                    if constexpr (is_unordered) {
                        // Which of several equal keys find() returns is unspecified: erase all of them.
                        FUZZ_CHECK(c.erase(key) == t.erase(key), "erase after find");
                    } else {
                        c.erase(it);
                        t.erase(tit);
                    }
                }
                break;
            }
            case 4: {
                if constexpr (is_map && is_unique) {
                    c[key] += mapped;
                    t[key] += mapped;
                } else {
                    c.insert(make(key, mapped));
                    t.insert(make(key, mapped));
                }
                break;
            }
            case 5: {
                if constexpr (is_map && is_unique) {
                    if (mapped % 2 == 0) {
                        c.try_emplace(key, mapped);
                        t.try_emplace(key, mapped);
                    } else {
                        c.insert_or_assign(key, mapped);
                        t.insert_or_assign(key, mapped);
                    }
                } else {
                    FUZZ_CHECK(c.count(key) == t.count(key), "count");
                }
                break;
            }
            case 6: {
                c.clear();
                t.clear();
                break;
            }
            case 7: {
                if constexpr (is_unordered) {
                    const std::size_t n = in_.count(64);
                    if (n % 3 == 0) c.rehash(n), t.rehash(n);
                    else if (n % 3 == 1) c.reserve(n), t.reserve(n);
                    else c.max_load_factor(0.25f + static_cast<float>(n % 8)), t.max_load_factor(0.25f + static_cast<float>(n % 8));
                } else {
                    // Bounds and ranges: positions must agree.
                    const int high = key + in_.below(8);
                    const auto first = c.lower_bound(key), last = c.upper_bound(high);
                    const auto tfirst = t.lower_bound(key), tlast = t.upper_bound(high);
                    FUZZ_CHECK(std::distance(c.begin(), first) == std::distance(t.begin(), tfirst), "lower_bound");
                    FUZZ_CHECK(std::distance(c.begin(), last) == std::distance(t.begin(), tlast), "upper_bound");
                    if (mapped % 2 == 0) {
                        c.erase(first, last);
                        t.erase(tfirst, tlast);
                    }
                }
                break;
            }
            case 8: {  // swap a and b (equal allocators)
                a_->swap(*b_);
                ta_.swap(tb_);
                break;
            }
            case 9: {  // merge one of a, b into the other
                if (which == 0) {
                    a_->merge(*b_);
                    ta_.merge(tb_);
                } else {
                    b_->merge(*a_);
                    tb_.merge(ta_);
                }
                break;
            }
            case 10: {  // extract from a or b into the held node handle
                if (which == 2) break;
                drop_node();
                node_.emplace(c.extract(key));
                twin_node_.emplace(t.extract(key));
                break;
            }
            case 11: {  // the held node handle goes into a or b
                if (which == 2 || !node_) break;
                if constexpr (is_unique) {
                    const auto r = c.insert(std::move(*node_));
                    auto tr = t.insert(std::move(*twin_node_));
                    FUZZ_CHECK(r.inserted == tr.inserted, "insert(node) inserted");
                    FUZZ_CHECK(r.node.empty() == tr.node.empty(), "insert(node) refused node");
                    drop_node();
                } else {
                    c.insert(std::move(*node_));
                    t.insert(std::move(*twin_node_));
                    drop_node();
                }
                break;
            }
            case 12: {  // copy assignment across upstreams, either way
                if (which == 2) {
                    *d_ = *a_;
                    td_ = ta_;
                } else {
                    c = *d_;
                    t = td_;
                }
                break;
            }
            case 13: {  // move assignment with equal upstreams; the moved-from one is then cleared
                if (which == 0) {
                    *a_ = std::move(*b_);
                    ta_ = std::move(tb_);
                } else {
                    *b_ = std::move(*a_);
                    tb_ = std::move(ta_);
                }
                a_->clear(), b_->clear(), ta_.clear(), tb_.clear();
                break;
            }
            case 14: {  // move assignment across upstreams (element by element)
                *d_ = std::move(which == 0 ? *a_ : *b_);
                td_ = std::move(which == 0 ? ta_ : tb_);
                (which == 0 ? *a_ : *b_).clear();
                (which == 0 ? ta_ : tb_).clear();
                break;
            }
            case 15: {  // rebuild b by moving a into it, or by copying a
                drop_node();
                b_.reset();
                if (mapped % 2 == 0) {
                    b_.emplace(std::move(*a_));
                    tb_ = std::move(ta_);
                    a_->clear();
                    ta_.clear();
                } else {
                    b_.emplace(*a_);
                    tb_ = ta_;
                }
                break;
            }
            case 16: {  // rebuild d from a, with its own upstream (allocator-extended copy or move)
                d_.reset();
                if (mapped % 2 == 0) {
                    d_.emplace(*a_, allocator(&solo_));
                    td_ = ta_;
                } else {
                    drop_node();
                    d_.emplace(std::move(*a_), allocator(&solo_));
                    td_ = std::move(ta_);
                    a_->clear();
                    ta_.clear();
                }
                break;
            }
            case 17: {  // insert a range
                std::vector<value_type> values;
                const std::size_t n = in_.count(8);
                for (std::size_t i = 0; i < n; ++i) values.push_back(make(in_.key(), in_.key()));
                c.insert(values.begin(), values.end());
                t.insert(values.begin(), values.end());
                break;
            }
            case 18: {  // lookups agree
                FUZZ_CHECK(c.count(key) == t.count(key), "count");
                const auto range = c.equal_range(key);
                const auto trange = t.equal_range(key);
                FUZZ_CHECK(std::distance(range.first, range.second) == std::distance(trange.first, trange.second),
                           "equal_range");
                if constexpr (is_map && is_unique) {
                    bool threw = false, twin_threw = false;
                    int got = 0, twin_got = 0;
                    try {
                        got = c.at(key);
                    } catch (const std::out_of_range&) {
                        threw = true;
                    }
                    try {
                        twin_got = t.at(key);
                    } catch (const std::out_of_range&) {
                        twin_threw = true;
                    }
                    FUZZ_CHECK(threw == twin_threw && got == twin_got, "at");
                }
                break;
            }
            case 19: {  // emplace_hint / insert with hint
                if constexpr (is_map) {
                    c.emplace_hint(c.find(mapped), key, mapped);
                    t.emplace_hint(t.find(mapped), key, mapped);
                } else {
                    c.insert(c.find(mapped), key);
                    t.insert(t.find(mapped), key);
                }
                break;
            }
            case 20: {  // drop the held node handle (its memory goes back to whoever paid)
                drop_node();
                break;
            }
            case 21: {  // erase through an iterator range from begin (ordered) or a whole key (unordered)
                if constexpr (is_unordered) {
                    FUZZ_CHECK(c.erase(key) == t.erase(key), "erase(key)");
                } else {
                    const std::size_t n = std::min<std::size_t>(in_.count(4), t.size());
                    c.erase(c.begin(), std::next(c.begin(), static_cast<std::ptrdiff_t>(n)));
                    t.erase(t.begin(), std::next(t.begin(), static_cast<std::ptrdiff_t>(n)));
                }
                break;
            }
            case 22: {  // an initializer list, assigned or inserted
                if (mapped % 2 == 0) {
                    c = {make(key, 1), make(key + 1, 2), make(key, 3)};
                    t = {make(key, 1), make(key + 1, 2), make(key, 3)};
                } else {
                    c.insert({make(key, 1), make(mapped, 2)});
                    t.insert({make(key, 1), make(mapped, 2)});
                }
                break;
            }
            default: {  // iterate: a full walk sees size() elements
                FUZZ_CHECK(static_cast<std::size_t>(std::distance(c.begin(), c.end())) == c.size(), "walk");
                break;
            }
        }
    }

    void check(int op) {
        const std::string after = "after operation " + std::to_string(op);
        const Tracked* tracked[] = {&*a_, &*b_, &*d_};
        const Twin* twins[] = {&ta_, &tb_, &td_};
        for (int i = 0; i < 3; ++i) {
            const content got = contents_of(*tracked[i]), want = contents_of(*twins[i]);
            FUZZ_CHECK(got == want, after + ": container " + std::to_string(i) + " holds " + describe(got) +
                                        ", its std twin " + describe(want));
            FUZZ_CHECK(tracked[i]->stats().elements == tracked[i]->size(), after + ": elements != size()");
            FUZZ_CHECK(tracked[i]->size() == twins[i]->size(), after + ": size");
        }
        FUZZ_CHECK(a_->stats().bytes + b_->stats().bytes == shared_.bytes(),
                   after + ": a and b are charged " + std::to_string(a_->stats().bytes + b_->stats().bytes) +
                       " bytes, their upstream has " + std::to_string(shared_.bytes()) + " out");
        FUZZ_CHECK(a_->stats().allocations + b_->stats().allocations == shared_.allocations(), after + ": allocations");
        FUZZ_CHECK(d_->stats().bytes == solo_.bytes(), after + ": d is charged " + std::to_string(d_->stats().bytes) +
                                                           " bytes, its upstream has " + std::to_string(solo_.bytes()) +
                                                           " out");
        FUZZ_CHECK(d_->stats().allocations == solo_.allocations(), after + ": d's allocations");
        FUZZ_CHECK(shared_.bad_frees() == 0 && solo_.bad_frees() == 0, after + ": a bad free");
        FUZZ_CHECK(node_.has_value() == twin_node_.has_value(), after + ": node handles");
        if (node_) {
            FUZZ_CHECK(node_->empty() == twin_node_->empty(), after + ": node handle emptiness");
            if (!node_->empty()) {
                if constexpr (is_map)
                    FUZZ_CHECK(node_->key() == twin_node_->key() && node_->mapped() == twin_node_->mapped(),
                               after + ": node handle contents");
                else FUZZ_CHECK(node_->value() == twin_node_->value(), after + ": node handle contents");
            }
        }
    }

    input& in_;
    // The upstreams outlive every container and node handle below.
    lwtest::alloc_counter shared_;
    lwtest::alloc_counter solo_;
    std::optional<Tracked> a_, b_, d_;
    Twin ta_, tb_, td_;
    std::optional<typename Tracked::node_type> node_;
    std::optional<typename Twin::node_type> twin_node_;
};

}  // namespace fuzz
