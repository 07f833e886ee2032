import { useProfile } from '../../auth/session';
import { texts, useTexts } from '../../i18n';
import { Page } from '../../ui';

const T = texts({
  id: { title: 'Beranda', hello: 'Pekerjaan hari ini untuk peran Anda.' },
  en: { title: 'Home', hello: "Today's work for your role." },
});

/** What needs doing today, for the signed-in role. */
export default function Home() {
  const t = useTexts(T);
  const profile = useProfile();
  return (
    <Page title={t.title}>
      <p>{t.hello}</p>
      <p className="muted">{profile.me.role}</p>
    </Page>
  );
}
