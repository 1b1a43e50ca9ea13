"""What an import raises when it refuses a file: here, not in transfer.py, so that code
reading the programme (pages, the report) need not import the spreadsheet libraries."""


class ImportRejected(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages
