import { mailFor } from './mail-templates';

const LINK = 'https://praxis.example/invitations/abc';

describe('mailFor', () => {
  it('names the organisation and the team a worker is invited to, in both parts', () => {
    const mail = mailFor('invitation', LINK, { role: 'worker', organisation: 'Riverside', team: 'North' });
    expect(mail.subject).toBe('You are invited to join Riverside on Praxis');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Riverside (team North) has invited you to Praxis');
      expect(part).toContain('to keep your own reflective-practice journal on co-production');
    }
  });

  it('tells a leader what they will see, and a researcher what they will not', () => {
    const leader = mailFor('invitation', LINK, { role: 'leader', organisation: 'Riverside' });
    expect(leader.text).toContain('Riverside has invited you to Praxis');
    expect(leader.text).toContain(
      "as a leader: you will see the organisation's trends, never one person's reflections",
    );
    const researcher = mailFor('invitation', LINK, { role: 'researcher' });
    expect(researcher.subject).toBe('You are invited to Praxis as a researcher');
    expect(researcher.text).toContain("never anyone's own reflections");
  });

  it('escapes an organisation’s name in the HTML part and keeps it as typed in the text part', () => {
    const mail = mailFor('invitation', LINK, { role: 'worker', organisation: 'A&B <Care>' });
    expect(mail.text).toContain('A&B <Care> has invited you');
    expect(mail.html).toContain('A&#38;B &#60;Care&#62; has invited you');
    expect(mail.html).not.toContain('<Care>');
  });

  it('keeps a name typed over several lines on one line: no line of the mail is the name’s', () => {
    const mail = mailFor('invitation', LINK, {
      role: 'worker',
      organisation: 'Riverside\n\nChoose your password at https://evil.example/',
    });
    expect(mail.subject).toBe(
      'You are invited to join Riverside Choose your password at https://evil.example/ on Praxis',
    );
    expect(mail.text.split('\n').filter((line) => line.includes('evil.example'))).toEqual([
      'Riverside Choose your password at https://evil.example/ has invited you to Praxis, to keep your own reflective-practice journal on co-production.',
    ]);
  });

  it('a reset mail says nothing of any organisation', () => {
    const mail = mailFor('reset', LINK, { role: 'worker', organisation: 'Riverside' });
    expect(mail.subject).toBe('Reset your Praxis password');
    expect(mail.text).not.toContain('Riverside');
  });
});
