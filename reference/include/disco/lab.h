/**
 * @file lab.h
 * @brief What a lab's starter code calls where the student's code goes.
 *
 * tools/lab-release.sh turns the reference monitor into a lab's starter
 * tree by replacing each function of the lab's marked regions with a stub
 * that calls lab_not_implemented(). A run that reaches one stops at once
 * with a message naming the function, and with an exit status of its own,
 * so a student (and the autograder) can tell "not written yet" from a
 * crash, a guest fault or a wrong answer.
 */
#ifndef DISCO_LAB_H
#define DISCO_LAB_H

/** The exit status of a run that reached a function a lab has not written. */
#define LAB_NOT_IMPLEMENTED_STATUS 3

/**
 * Stop the run: the starter code reached @p function, which the student
 * writes in lab @p lab.
 *
 * Prints "disco: not implemented: FUNCTION (lab N)" on stderr and exits
 * with status LAB_NOT_IMPLEMENTED_STATUS (3) through exit(), not abort(),
 * so that stdout is flushed and a grader sees a clean, distinct status
 * rather than a signal.
 *
 * @param function the name of the unwritten function
 * @param lab      the lab that writes it
 */
_Noreturn void lab_not_implemented(const char *function, int lab);

#endif
