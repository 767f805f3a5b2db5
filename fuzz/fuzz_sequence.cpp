// fuzz/fuzz_sequence.cpp — libFuzzer differential target for the sequence family: the first
// byte picks tracked_vector, tracked_deque or tracked_list; the rest is a sequence of operations
// run on three tracked containers (a and b share a counting upstream, d has its own) and on
// their std twins, with contents (in order), element counts and byte accounting checked after
// every step (fuzz_common.hpp).
#include <leakwatch/leakwatch.hpp>

#include "counting_allocator.hpp"
#include "fuzz_common.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

template <class T>
using counting = lwtest::counting_allocator<T>;

template <class C, class = void>
struct has_capacity : std::false_type {};
template <class C>
struct has_capacity<C, std::void_t<decltype(std::declval<C&>().capacity())>> : std::true_type {};
template <class C, class = void>
struct has_front_ops : std::false_type {};
template <class C>
struct has_front_ops<C, std::void_t<decltype(std::declval<C&>().push_front(0))>> : std::true_type {};
template <class C, class = void>
struct has_shrink : std::false_type {};
template <class C>
struct has_shrink<C, std::void_t<decltype(std::declval<C&>().shrink_to_fit())>> : std::true_type {};

template <class C>
std::vector<int> contents_of(const C& c) {
    return std::vector<int>(c.begin(), c.end());
}

std::string describe(const std::vector<int>& v) {
    std::string out = "{";
    for (int x : v) out += " " + std::to_string(x);
    return out + " }";
}

template <class Tracked, class Twin>
class sequence_harness {
    static constexpr bool is_list = std::is_same<Twin, std::list<int>>::value;
    using allocator = typename Tracked::allocator_type;

public:
    explicit sequence_harness(fuzz::input& in) : in_(in) {
        a_.emplace(allocator(&shared_));
        b_.emplace(allocator(&shared_));
        d_.emplace(allocator(&solo_));
    }

    void run() {
        for (int step = 0; step < 128 && !in_.done(); ++step) {
            const int op = in_.below(22);
            apply(op);
            check(op);
        }
    }

private:
    // An iterator `n` elements into c (n clamped to its size).
    template <class C>
    static auto at(C& c, std::size_t n) {
        return std::next(c.begin(), static_cast<std::ptrdiff_t>(std::min(n, c.size())));
    }

    void apply(int op) {
        const int which = in_.below(3);
        Tracked& c = which == 0 ? *a_ : which == 1 ? *b_ : *d_;
        Twin& t = which == 0 ? ta_ : which == 1 ? tb_ : td_;
        const int value = in_.key();
        const std::size_t position = in_.count(16);
        const std::size_t n = in_.count(12);
        switch (op) {
            case 0: c.push_back(value), t.push_back(value); break;
            case 1: c.emplace_back(value), t.emplace_back(value); break;
            case 2:
                if (!t.empty()) c.pop_back(), t.pop_back();
                break;
            case 3: c.insert(at(c, position), value), t.insert(at(t, position), value); break;
            case 4: c.insert(at(c, position), n, value), t.insert(at(t, position), n, value); break;
            case 5: {
                std::vector<int> values;
                for (std::size_t i = 0; i < n; ++i) values.push_back(in_.key());
                c.insert(at(c, position), values.begin(), values.end());
                t.insert(at(t, position), values.begin(), values.end());
                break;
            }
            case 6:
                if (position < t.size()) c.erase(at(c, position)), t.erase(at(t, position));
                break;
            case 7: {
                const std::size_t first = std::min(position, t.size());
                const std::size_t last = std::min(first + n, t.size());
                c.erase(at(c, first), at(c, last));
                t.erase(at(t, first), at(t, last));
                break;
            }
            case 8:
                if (value % 2 == 0) c.resize(n + position), t.resize(n + position);
                else c.resize(n, value), t.resize(n, value);
                break;
            case 9:
                if (value % 2 == 0) c.assign(n, value), t.assign(n, value);
                else c.assign({value, value + 1, value + 2}), t.assign({value, value + 1, value + 2});
                break;
            case 10: c.clear(), t.clear(); break;
            case 11:
                if constexpr (has_capacity<Twin>::value) {
                    if (value % 2 == 0) c.reserve(n * 4), t.reserve(n * 4);
                    else c.shrink_to_fit(), t.shrink_to_fit();
                } else if constexpr (has_shrink<Twin>::value) {
                    c.shrink_to_fit(), t.shrink_to_fit();
                }
                break;
            case 12:
                if constexpr (has_front_ops<Twin>::value) {
                    if (value % 3 == 0 && !t.empty()) c.pop_front(), t.pop_front();
                    else if (value % 3 == 1) c.push_front(value), t.push_front(value);
                    else c.emplace_front(value), t.emplace_front(value);
                }
                break;
            case 13: a_->swap(*b_), ta_.swap(tb_); break;
            case 14:  // copy assignment across upstreams, either way
                if (which == 2) *d_ = *a_, td_ = ta_;
                else c = *d_, t = td_;
                break;
            case 15:  // move assignment, equal upstreams; the moved-from one is then cleared
                if (which == 0) *a_ = std::move(*b_), ta_ = std::move(tb_);
                else *b_ = std::move(*a_), tb_ = std::move(ta_);
                a_->clear(), b_->clear(), ta_.clear(), tb_.clear();
                break;
            case 16:  // move assignment across upstreams (element by element)
                *d_ = std::move(which == 0 ? *a_ : *b_);
                td_ = std::move(which == 0 ? ta_ : tb_);
                (which == 0 ? *a_ : *b_).clear();
                (which == 0 ? ta_ : tb_).clear();
                break;
            case 17:  // rebuild b from a: moved, copied, or copied onto d's upstream and back
                b_.reset();
                if (value % 3 == 0) {
                    b_.emplace(std::move(*a_));
                    tb_ = std::move(ta_);
                    a_->clear(), ta_.clear();
                } else if (value % 3 == 1) {
                    b_.emplace(*a_);
                    tb_ = ta_;
                } else {
                    Tracked elsewhere(*a_, allocator(&solo_));
                    b_.emplace(std::move(elsewhere), allocator(&shared_));
                    tb_ = ta_;
                }
                break;
            case 18:  // list: splice between a and b
                if constexpr (is_list) {
                    Tracked& to = which == 0 ? *a_ : *b_;
                    Tracked& from = which == 0 ? *b_ : *a_;
                    Twin& tto = which == 0 ? ta_ : tb_;
                    Twin& tfrom = which == 0 ? tb_ : ta_;
                    if (value % 3 == 0) {
                        to.splice(at(to, position), from);
                        tto.splice(at(tto, position), tfrom);
                    } else if (value % 3 == 1) {
                        if (n < tfrom.size()) {
                            to.splice(at(to, position), from, at(from, n));
                            tto.splice(at(tto, position), tfrom, at(tfrom, n));
                        }
                    } else {
                        const std::size_t first = std::min(n, tfrom.size());
                        to.splice(at(to, position), from, at(from, first), from.end());
                        tto.splice(at(tto, position), tfrom, at(tfrom, first), tfrom.end());
                    }
                } else {
                    (void)position;
                }
                break;
            case 19:  // list: sort both of a and b, then merge one into the other
                if constexpr (is_list) {
                    a_->sort(), b_->sort(), ta_.sort(), tb_.sort();
                    if (which == 0) a_->merge(*b_), ta_.merge(tb_);
                    else b_->merge(*a_), tb_.merge(ta_);
                }
                break;
            case 20:  // list: the algorithms that remove elements
                if constexpr (is_list) {
                    if (value % 4 == 0) c.remove(value), t.remove(value);
                    else if (value % 4 == 1) c.remove_if([&](int x) { return x % 3 == 0; }), t.remove_if([&](int x) { return x % 3 == 0; });
                    else if (value % 4 == 2) c.unique(), t.unique();
                    else c.reverse(), t.reverse();
                }
                break;
            default:  // reads agree
                if (!t.empty()) {
                    FUZZ_CHECK(c.front() == t.front() && c.back() == t.back(), "front/back");
                    if constexpr (!is_list) FUZZ_CHECK(c[position % t.size()] == t[position % t.size()], "operator[]");
                }
                break;
        }
    }

    void check(int op) {
        const std::string after = "after operation " + std::to_string(op);
        const Tracked* tracked[] = {&*a_, &*b_, &*d_};
        const Twin* twins[] = {&ta_, &tb_, &td_};
        for (int i = 0; i < 3; ++i) {
            const std::vector<int> got = contents_of(*tracked[i]), want = contents_of(*twins[i]);
            FUZZ_CHECK(got == want, after + ": container " + std::to_string(i) + " holds " + describe(got) +
                                        ", its std twin " + describe(want));
            FUZZ_CHECK(tracked[i]->stats().elements == tracked[i]->size(), after + ": elements != size()");
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
        if constexpr (has_capacity<Twin>::value) {
            // A vector's bytes are its capacity, exactly.
            for (const Tracked* c : tracked)
                FUZZ_CHECK(c->stats().bytes == c->capacity() * sizeof(int), after + ": vector bytes != capacity");
        }
    }

    fuzz::input& in_;
    // The upstreams outlive every container below.
    lwtest::alloc_counter shared_;
    lwtest::alloc_counter solo_;
    std::optional<Tracked> a_, b_, d_;
    Twin ta_, tb_, td_;
};

template <class Tracked, class Twin>
void run(fuzz::input& in) {
    sequence_harness<Tracked, Twin> harness(in);
    harness.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::input in(data, size);
    switch (in.below(3)) {
        case 0: run<leakwatch::tracked_vector<int, counting<int>>, std::vector<int>>(in); break;
        case 1: run<leakwatch::tracked_deque<int, counting<int>>, std::deque<int>>(in); break;
        default: run<leakwatch::tracked_list<int, counting<int>>, std::list<int>>(in); break;
    }
    return 0;
}
