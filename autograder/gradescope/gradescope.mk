# autograder/gradescope/gradescope.mk: the Gradescope autograder package
# (included by the top Makefile).
#   make gradescope LAB=N    build/gradescope/labN.zip, to upload on the
#                            assignment's "Configure Autograder" page
#   make gradescope-test     autograder/gradescope/test.sh: the zip's
#                            run_autograder against a fake /autograder

gradescope:
	@test -n "$(LAB)" || { echo "make: error: gradescope: say which lab, LAB=N" >&2; exit 2; }
	autograder/gradescope/package.sh $(LAB) $(B)/gradescope/lab$(LAB).zip

gradescope-test:
	autograder/gradescope/test.sh

.PHONY: gradescope gradescope-test
