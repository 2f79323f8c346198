#include <fibersql/runtime/detail/intrusive_list.hpp>

#include <vector>

#include <gtest/gtest.h>

namespace fibersql::detail {
namespace {

struct item {
  int value = 0;
  list_links<item> links{};
};

using item_list = intrusive_list<item, &item::links>;

std::vector<int> values(const item_list& list) {
  std::vector<int> out;
  for (const item* i = list.front(); i != nullptr; i = item_list::next(*i)) out.push_back(i->value);
  return out;
}

TEST(intrusive_list, keeps_insertion_order_and_pops_the_oldest) {
  item a{1}, b{2}, c{3};
  item_list list;
  EXPECT_TRUE(list.empty());
  list.push_back(a);
  list.push_back(b);
  list.push_back(c);
  EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.pop_front(), &a);
  EXPECT_FALSE(item_list::linked(a));
  EXPECT_EQ(values(list), (std::vector<int>{2, 3}));
  EXPECT_EQ(list.pop_front(), &b);
  EXPECT_EQ(list.pop_front(), &c);
  EXPECT_EQ(list.pop_front(), nullptr);
  EXPECT_TRUE(list.empty());
}

TEST(intrusive_list, unlinks_from_the_middle_and_both_ends) {
  item a{1}, b{2}, c{3}, d{4};
  item_list list;
  for (item* i : {&a, &b, &c, &d}) list.push_back(*i);
  list.unlink(b);
  EXPECT_EQ(values(list), (std::vector<int>{1, 3, 4}));
  list.unlink(d);
  EXPECT_EQ(values(list), (std::vector<int>{1, 3}));
  list.unlink(a);
  EXPECT_EQ(values(list), (std::vector<int>{3}));
  list.push_back(a);  // re-linking after an unlink starts clean
  EXPECT_EQ(values(list), (std::vector<int>{3, 1}));
  EXPECT_EQ(list.size(), 2u);
}

TEST(intrusive_list, unlinking_an_element_not_on_the_list_changes_nothing) {
  item a{1}, b{2}, stranger{9};
  item_list list;
  list.push_back(a);
  list.push_back(b);
  list.unlink(stranger);
  list.unlink(b);
  list.unlink(b);  // twice: the second is a no-op, the size stays right
  EXPECT_EQ(values(list), (std::vector<int>{1}));
  EXPECT_EQ(list.size(), 1u);
}

}  // namespace
}  // namespace fibersql::detail
