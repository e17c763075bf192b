# autograder/autograder.mk: the autograder, build/bin/grade (make grader),
# and `make grade`, which a student runs in a released tree:
#   make grade [LAB=N]   the lab's public tests against this tree's files
# (LAB defaults to the content of .lab, which the lab generator writes
# into each released tree). Included by the top-level Makefile.

GRADE_SRCS := $(wildcard autograder/src/*.c)
GRADE_OBJS := $(GRADE_SRCS:%.c=$(B)/obj/%.o)
GRADE := $(B)/bin/grade

$(GRADE): $(GRADE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -ljansson -lm

-include $(GRADE_OBJS:.o=.d)

GRADE_LAB = $(or $(LAB),$(shell cat .lab 2>/dev/null))

grader: $(GRADE)

grade:
	@test -n "$(GRADE_LAB)" || { echo "make: error: grade: say which lab, LAB=N" >&2; exit 2; }
	autograder/grade --public-only --logs $(B)/grade-logs --lab $(GRADE_LAB) .

.PHONY: grader grade
